#!/usr/bin/env bash
# Memory soak: the example service (axum-service, embedded SQLite, its
# Prometheus recorder installed, /metrics never scraped) against a bare axum
# server (bench-server static: the framework's handler answering
# {"status":"UP"}). For each server run, the resident set size (VmRSS of
# /proc/PID/status) at start and after FIRST and TOTAL requests
# (default 100 000 and 1 000 000), sent by bench-client on keep-alive
# connections to 127.0.0.1 with every answer checked:
#   example  /health   liveness: one check run (and one histogram sample) a request
#   example  /ready    readiness: the database and disk checks
#   probes-health /health  bench-server axum health: the same binary as
#   probes-ready  /ready   bare's, serving the probes (ten checks cached
#                          for 5 s), multi-thread runtime
#   bare     /static   bench-server axum static, tokio's multi-thread
#                      runtime (as the example's #[tokio::main]): the reference
#   bare-1t  /static   the same on the current-thread runtime (bench/http.sh's), for information
#
# Fails (exit 1, saying which) when the RSS of the example or of probes-*
# grows between FIRST and TOTAL requests by more than GROWTH_PCT %
# (default 5), or when probes-* is more than RATIO (default 1.1) times the
# bare server's after FIRST requests: the same binary with and without the
# probes, so the ratio is what serving them costs. The example's own ratio
# is printed, not checked: about 2x from its first request, because its
# binary (sqlx with bundled SQLite, redis, reqwest, both frameworks) is
# several times the bare server's. After
# the example's runs, /metrics is fetched once (saved in the output
# directory) and, when promtool is installed, checked with
# `promtool check metrics` (reported, not a failure here:
# examples/tests/metrics.rs is that test).
#
# Environment: FIRST (default 100000), TOTAL (default 1000000),
# CONNECTIONS (bench-client connections, default 2), GROWTH_PCT, RATIO,
# PORT (default 18290), OUT (default a new /tmp/soak.XXXXXX), RUNS (default
# "example-health example-ready probes-health probes-ready bare bare-1t").
# About 3 to 5 minutes on the
# 2-core machine, plus the first release build.
set -euo pipefail
cd "$(dirname "$0")/.."

FIRST=${FIRST:-100000}
TOTAL=${TOTAL:-1000000}
CONNECTIONS=${CONNECTIONS:-2}
GROWTH_PCT=${GROWTH_PCT:-5}
RATIO=${RATIO:-1.1}
PORT=${PORT:-18290}
RUNS=${RUNS:-example-health example-ready probes-health probes-ready bare bare-1t}
ADDR=127.0.0.1:$PORT
# Bounds on every wait (seconds): the server's start, one client run, the
# server's exit after SIGTERM.
START_TIMEOUT=60
CLIENT_TIMEOUT=900
EXIT_TIMEOUT=30

for v in FIRST TOTAL CONNECTIONS GROWTH_PCT; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]]; then
        echo "$v must be a whole number" >&2
        exit 2
    fi
done
if ((FIRST < 1 || TOTAL <= FIRST)); then
    echo "need 0 < FIRST < TOTAL" >&2
    exit 2
fi

OUT=${OUT:-$(mktemp -d /tmp/soak.XXXXXX)}
mkdir -p "$OUT"

echo "== building axum-service, bench-server and bench-client (release)"
cargo build --release --quiet -p health-examples --bin axum-service
# bench-server and bench-client as bench/http.sh builds them.
cargo build --release --quiet -p health-examples --no-default-features \
    --bin bench-server --bin bench-client
BIN_DIR="${CARGO_TARGET_DIR:-$PWD/target}/release"

SERVER=""
cleanup() {
    if [[ -n $SERVER ]] && kill -0 "$SERVER" 2>/dev/null; then
        kill -KILL "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
}
trap cleanup EXIT

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

rss_kib() {
    awk '$1 == "VmRSS:" { print $2 }' "/proc/$SERVER/status"
}

client() {
    if ! timeout "$CLIENT_TIMEOUT" "$BIN_DIR/bench-client" "$ADDR" "$@" \
        --connect-timeout "$START_TIMEOUT" >>"$OUT/$NAME.client" 2>&1; then
        echo "bench-client failed against $NAME:" >&2
        tail -n 20 "$OUT/$NAME.client" >&2
        return 1
    fi
}

stop_server() {
    kill -TERM "$SERVER"
    local waited=0
    while kill -0 "$SERVER" 2>/dev/null; do
        if ((waited >= EXIT_TIMEOUT * 10)); then
            echo "$NAME: the server did not exit ${EXIT_TIMEOUT}s after SIGTERM" >&2
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
}

declare -A RSS0 RSS1 RSS2 PATHS
NAME=""
for run in $RUNS; do
    NAME=$run
    if port_open; then
        echo "$ADDR is already in use (set PORT)" >&2
        exit 1
    fi
    case $run in
        example-health | example-ready)
            path=/${run#example-}
            # DRAIN_DELAY_SECS=0: SIGTERM stops it at once.
            BIND=$ADDR DRAIN_DELAY_SECS=0 "$BIN_DIR/axum-service" >"$OUT/$run.log" 2>&1 &
            SERVER=$!
            # Started: the migration passed the startup check (bounded).
            ok=""
            for _ in $(seq $((START_TIMEOUT * 10))); do
                if "$BIN_DIR/bench-client" "$ADDR" /startup 1 --connect-timeout "$START_TIMEOUT" \
                    >/dev/null 2>&1; then
                    ok=1
                    break
                fi
                sleep 0.1
            done
            if [[ -z $ok ]]; then
                echo "$run: /startup did not answer 200 within ${START_TIMEOUT}s" >&2
                tail -n 20 "$OUT/$run.log" >&2
                exit 1
            fi
            expect=(--body '{"status":"UP"}')
            ;;
        probes-health | probes-ready)
            path=/${run#probes-}
            mode=health
            if [[ $run == probes-ready ]]; then
                mode=ready-cached
            fi
            BENCH_RUNTIME=multi "$BIN_DIR/bench-server" axum "$mode" "$ADDR" >"$OUT/$run.log" 2>&1 &
            SERVER=$!
            client "$path" 1
            expect=(--body '{"status":"UP"}')
            ;;
        bare | bare-1t)
            path=/static
            runtime=multi
            if [[ $run == bare-1t ]]; then
                runtime=current
            fi
            BENCH_RUNTIME=$runtime "$BIN_DIR/bench-server" axum static "$ADDR" >"$OUT/$run.log" 2>&1 &
            SERVER=$!
            client "$path" 1
            expect=(--body '{"status":"UP"}' --content-type application/json)
            ;;
        *)
            echo "unknown run $run" >&2
            exit 2
            ;;
    esac
    PATHS[$run]=$path
    sleep 1
    RSS0[$run]=$(rss_kib)
    client "$path" "$FIRST" --connections "$CONNECTIONS" "${expect[@]}"
    RSS1[$run]=$(rss_kib)
    client "$path" $((TOTAL - FIRST)) --connections "$CONNECTIONS" "${expect[@]}"
    RSS2[$run]=$(rss_kib)
    printf '   %-15s %-8s start %6s KiB, after %s: %6s KiB, after %s: %6s KiB  (%s)\n' \
        "$run" "$path" "${RSS0[$run]}" "$FIRST" "${RSS1[$run]}" "$TOTAL" "${RSS2[$run]}" \
        "$(tail -n 1 "$OUT/$run.client")"
    if [[ $run == example-* ]]; then
        metrics="$OUT/$run.metrics.txt"
        if curl -sS --max-time 10 "http://$ADDR/metrics" >"$metrics" 2>/dev/null; then
            : # saved
        else
            echo "   (could not fetch /metrics)" >&2
        fi
    fi
    stop_server
done

mib() {
    awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
}

echo
echo "== RSS in MiB (VmRSS), /metrics never scraped; $CONNECTIONS connections"
printf '%-15s %-8s %8s %10s %10s %9s %11s\n' server path start "$FIRST" "$TOTAL" growth "vs bare"
failed=()
reference=""
for run in $RUNS; do
    if [[ $run == bare ]]; then
        reference=${RSS1[bare]}
    fi
done
for run in $RUNS; do
    growth=$(awk -v a="${RSS1[$run]}" -v b="${RSS2[$run]}" 'BEGIN { printf "%+.1f%%", (b - a) / a * 100 }')
    versus="-"
    if [[ -n $reference ]]; then
        versus=$(awk -v a="${RSS1[$run]}" -v b="$reference" 'BEGIN { printf "%.2fx", a / b }')
    fi
    printf '%-15s %-8s %8s %10s %10s %9s %11s\n' "$run" "${PATHS[$run]}" "$(mib "${RSS0[$run]}")" \
        "$(mib "${RSS1[$run]}")" "$(mib "${RSS2[$run]}")" "$growth" "$versus"
    if [[ $run == example-* || $run == probes-* ]]; then
        if awk -v a="${RSS1[$run]}" -v b="${RSS2[$run]}" -v p="$GROWTH_PCT" \
            'BEGIN { exit !(b > a * (1 + p / 100)) }'; then
            failed+=("$run: RSS grew from $(mib "${RSS1[$run]}") MiB after $FIRST requests to $(mib "${RSS2[$run]}") MiB after $TOTAL (more than $GROWTH_PCT %)")
        fi
    fi
    if [[ $run == probes-* ]]; then
        if [[ -n $reference ]] && awk -v a="${RSS1[$run]}" -v b="$reference" -v r="$RATIO" \
            'BEGIN { exit !(a > b * r) }'; then
            failed+=("$run: RSS $(mib "${RSS1[$run]}") MiB after $FIRST requests, more than ${RATIO}x the bare server's $(mib "$reference") MiB")
        fi
    fi
done

for run in $RUNS; do
    metrics="$OUT/$run.metrics.txt"
    if [[ -s $metrics ]]; then
        echo
        if command -v promtool >/dev/null; then
            if promtool check metrics <"$metrics" >"$OUT/$run.promtool" 2>&1; then
                echo "promtool check metrics on $run's /metrics: ok"
            else
                echo "promtool check metrics on $run's /metrics: rejected:"
                sed 's/^/   /' "$OUT/$run.promtool"
            fi
        fi
        echo "$run's /metrics types: $(awk '$1 == "#" && $2 == "TYPE" { printf "%s %s; ", $3, $4 }' "$metrics")"
    fi
done

echo
echo "output in $OUT"
if ((${#failed[@]} > 0)); then
    echo
    for f in "${failed[@]}"; do
        echo "FAIL $f" >&2
    done
    exit 1
fi
echo "ok: no growth over ${GROWTH_PCT} % between $FIRST and $TOTAL requests; the probes within ${RATIO}x of the bare server"
