#!/usr/bin/env bash
# Probes under overload, measured (issue "busy is not dead"): a service with
# two workers, driven by wrk at 512 connections, while a kubelet-like prober
# asks /health and /ready every 100 ms with a 1 s timeout, each on a new
# connection. Side by side:
#   merged    the health routes merged into the application's router,
#             under its middleware (a concurrency limit of 32 with load
#             shedding), as 0.2's README showed;
#   listener  the recommended wiring: health::tower::ProbeListener, the
#             contract on its own port, thread, runtime and accept queue,
#             with RuntimeWatch's checks.
# Workloads: `work` (2 ms of CPU a request: about 250 requests/s a worker,
# so 512 connections are about 20 times its capacity) and `slow` (a 50 ms
# dependency behind the limit: shed at once past 32).
# Then, on the recommended wiring: every worker blocked past the wedged
# limit (liveness must fail within it plus a probe, and recover within a
# probe period after), and a 3 s readiness check under the 1 s prober
# (every answer under 1 s).
#
# The server runs on core 0, wrk and the prober on core 1. Prints one line
# per case: probes, answered, p50, p99 and max latency, failed or late
# (over 1 s), and the codes seen. Environment: DURATION (seconds a case,
# default 60), FRAMEWORKS (default "axum actix"), WORKLOADS (default
# "work slow"), WIRINGS (default "merged listener"). About 12 minutes with
# the defaults, plus the first build. Needs wrk (installed with apt-get if
# missing) and taskset.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-60}
FRAMEWORKS=${FRAMEWORKS:-axum actix}
WORKLOADS=${WORKLOADS-work slow}
WIRINGS=${WIRINGS:-merged listener}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/health-target}"

if ! command -v wrk >/dev/null 2>&1; then
    echo "overload.sh: installing wrk"
    apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
cargo build -q --release -p health-bench-overload
BIN=$CARGO_TARGET_DIR/release
APP=127.0.0.1:18300
PROBES=127.0.0.1:18301
server=

stop_server() {
    if [[ -n $server ]]; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
    fi
}
trap stop_server EXIT

# start FRAMEWORK WIRING [ENV=VALUE...]: waits, bounded, for "listening".
start() {
    local framework=$1 wiring=$2 log
    shift 2
    log=$(mktemp)
    env FRAMEWORK="$framework" WIRING="$wiring" BIND=$APP PROBE_BIND=$PROBES "$@" \
        taskset -c 0 "$BIN/overload-server" >"$log" 2>&1 &
    server=$!
    for _ in $(seq 100); do
        grep -q listening "$log" && return 0
        sleep 0.1
    done
    cat "$log" >&2
    echo "overload.sh: the server did not start" >&2
    exit 1
}

probe_port() { [[ $1 == listener ]] && echo $PROBES || echo $APP; }

[[ -n $WORKLOADS ]] && echo "== probes under load: $DURATION s a case, wrk -c512 on core 1, server on core 0"
for framework in $FRAMEWORKS; do
    for workload in $WORKLOADS; do
        for wiring in $WIRINGS; do
            start "$framework" "$wiring"
            taskset -c 1 wrk -t1 -c512 -d"$((DURATION + 2))"s "http://$APP/$workload" >/tmp/overload-wrk.$$ 2>&1 &
            load=$!
            sleep 1
            port=$(probe_port "$wiring")
            taskset -c 1 "$BIN/prober" --for "${DURATION}s" "http://$port/health" "http://$port/ready" |
                sed "s|^|$framework $workload $wiring |"
            wait "$load"
            echo "$framework $workload $wiring wrk $(grep -E 'Requests/sec' /tmp/overload-wrk.$$ | tr -s ' ')"
            stop_server
        done
    done
done
rm -f /tmp/overload-wrk.$$

echo
echo "== every worker blocked for 8 s (wedged after 5 s): the liveness timeline, recommended wiring"
for framework in $FRAMEWORKS; do
    start "$framework" listener
    taskset -c 1 "$BIN/prober" --for 16s --timeline "http://$PROBES/health" >/tmp/overload-timeline.$$ &
    prober=$!
    sleep 2
    # One blocking request per worker.
    blockers=()
    for _ in 1 2; do
        curl -s -o /dev/null --max-time 30 "http://$APP/block?ms=8000" &
        blockers+=($!)
    done
    wait "$prober"
    wait "${blockers[@]}"
    awk -v fw="$framework" '$3 != "200" && !down { down = $2 } $3 == "200" && down && !up { up = $2 }
        END { printf "%s liveness: first failure at %s ms after the start, back to 200 at %s ms (block from 2000 to 10000 ms)\n", fw, down, up }' \
        <(grep -v probes= /tmp/overload-timeline.$$)
    stop_server
done
rm -f /tmp/overload-timeline.$$

echo
echo "== a 3 s readiness check under the 1 s prober, recommended wiring, no load"
for framework in $FRAMEWORKS; do
    start "$framework" listener CHECK_MS=3000 CHECK_INTERVAL_MS=0
    taskset -c 1 "$BIN/prober" --for 20s "http://$PROBES/ready" | sed "s|^|$framework 3s-check |"
    stop_server
done
