#!/usr/bin/env bash
# Draining behind a connection-pinning balancer, measured (issue 16, "Measure
# it"). Per case: two replicas of an example service (axum-service or
# actix-service, release build), HAProxy in front of them checking each
# replica's /ready on its probe port (`option httpchk GET /ready`,
# `inter 300ms fall 1 rise 2`), a load client through HAProxy, and SIGTERM
# to replica `a` KILL_AFTER seconds into the load. It reports the requests,
# the failed ones, and whether the killed replica exited cleanly (status 0),
# how long after the signal, and its drain audit line when it logs one.
#
# Cases: adapter {axum, actix} x client {wrk, h2load, h2} x HAProxy mode
# {tcp, http} x drain {on, off}, named like `axum-wrk-tcp-on`. `h2` is
# examples/src/bin/h2-load.rs: HTTP/2 (h2c) that opens a new connection
# after GOAWAY and sends again a request never sent, as gRPC's, Go's and
# hyper's clients do (h2load does neither: see below).
#   tcp   `mode tcp`: each client connection is pinned to one replica for
#         its life (as kube-proxy does): only the server can move a
#         keep-alive client (`Connection: close`, GOAWAY).
#   http  `mode http`: HAProxy routes each request and keeps its own
#         connections to the replicas (HTTP/1.1 unless BACKEND_PROTO=h2);
#         the client's connection ends at HAProxy. HAProxy 2.6 detects the
#         HTTP/2 preface on the same plain bind, so h2load (h2c) and wrk
#         share the frontend.
#   on    DRAIN_CONNECTIONS unset (the service's default); off:
#         DRAIN_CONNECTIONS=off. A build that does not know the variable
#         (before the connection drain landed) runs the same server for
#         both: the script says so.
#
# How to read the numbers: what the clients do (wrk 4.1.0 and h2load from
# nghttp2 1.52.0, Debian 12; from their source and checked here):
#
# wrk (HTTP/1.1 keep-alive, -c connections for -d seconds):
#   - A response with `Connection: close` is counted as a normal response
#     (status < 400), and wrk opens a new connection for the next request
#     (response_complete: `if (!http_should_keep_alive(parser))
#     reconnect_socket(...)`): no error. Checked: 24 000 responses, every
#     one with `connection: close`, 0 socket errors.
#   - "Socket errors" are connect, read, write and timeout errors. A server
#     (or HAProxy in tcp mode) closing a keep-alive connection without
#     `Connection: close`, while wrk's next request is on the way, is a read
#     error (EOF before a complete response) or a write error: the errors a
#     drain should remove. Checked with a server closing every 100th
#     connection: with `Connection: close` 0 errors, without it one read
#     error per close. Timeouts are answers slower than --timeout (2 s).
#   - "Non-2xx or 3xx responses" counts status >= 400 (a 503 with
#     Retry-After after the drain delay is one): wrk does not retry.
#   - "requests" counts complete responses, whatever their status.
#   So: failed = socket errors + non-2xx; with the drain on it should be 0.
#
# h2load (HTTP/2 with prior knowledge over cleartext, h2c, the default for
# an http:// URI; -c connections, -m streams each, -D seconds):
#   - It does NOT reconnect after GOAWAY. Once a GOAWAY has arrived, nghttp2
#     allows no new stream on that connection
#     (nghttp2_session_check_request_allowed), Http2Session::submit_request
#     fails, and the client calls process_request_failure(): it prints
#     "Process Request Failure:N" and stops issuing requests for the rest of
#     the run; when the connection closes it is not replaced. Only the
#     HTTP/1.1 session reconnects (`Connection: close` sets
#     try_new_connection()). Checked against HAProxy 2.6 sending GOAWAY on
#     a soft reload: the new HAProxy process got 0 requests from the
#     GOAWAY'd clients; the run's request count drops accordingly.
#   - Streams above the GOAWAY's last-stream-id (sent before the client saw
#     the GOAWAY, never processed by the server, safe to retry per RFC 9113)
#     are counted as failed AND errored (status -1 in --log-file); h2load
#     does not retry them. Checked: -c 2 -m 8, one GOAWAY per connection:
#     8 failed, 8 errored, 8 streams with status -1. A server that sends the
#     graceful two-step GOAWAY (last-stream-id 2^31-1 first, the real one
#     after a PING round trip, as hyper does) should refuse fewer or none;
#     axum's shutdown on b1d2dce left 0 to 12 such failures a run.
#   - A connection closed under h2load (without GOAWAY) also ends that
#     client for the run; its streams in flight count as failed + errored.
#   - "failed" also counts non-2xx/3xx answers (reported separately here).
#   So with the drain on, h2load through HAProxy tcp shows the clients
#   pinned to the killed replica stopping (column `stopped`: the
#   "Process Request Failure" lines) and possibly refused streams as
#   failures: none is a request a real client would lose (a real HTTP/2
#   client opens a new connection after GOAWAY and retries refused
#   streams). h2load cannot show "0 failed, full load" across a GOAWAY;
#   read its `failed` with `stopped`, or use a client that reconnects.
#   h2load's tcp cases need a replica that answers h2c, else they are
#   skipped ("no h2c"). On b1d2dce actix-service answers HTTP/1.1 only;
#   axum-service already answers h2c (axum serves with hyper-util's
#   automatic HTTP/1-or-2 server, whose HTTP/2 tonic's `server` feature
#   turns on), and hyper sends GOAWAY when axum's graceful shutdown starts,
#   after the drain delay. h2load's http cases always run: HAProxy speaks
#   h2c to h2load and HTTP/1.1 to the replicas.
#
# Output (in OUT, default a new /tmp/drainbench.XXXXXX): per case a folder
# with haproxy.cfg, each replica's stdout+stderr (a.log, b.log), HAProxy's
# (haproxy.log) and the client's output (client.out; h2load also
# requests.tsv). Printed: one machine-readable line per case
#   drain-result case=axum-wrk-tcp-on adapter=axum client=wrk mode=tcp
#     drain=on requests=N failed=N errors=N non2xx=N stopped=N
#     killed_rc=0 killed_exit_ms=N clean=yes audit=yes|no
# (or `skipped=REASON`), the killed replica's audit line (the line of its
# log with `requests_during_delay`), and a table at the end.
#
# Environment:
#   CASES       names or globs, separated by commas or spaces (default all):
#               CASES=axum-wrk-tcp-on, CASES='*-wrk-tcp-*', CASES='actix-*'
#   DURATION    seconds of load a case (default 6)
#   KILL_AFTER  seconds into the load when replica a gets SIGTERM (default 2)
#   DRAIN_DELAY_SECS  the replicas' drain delay (default 2)
#   CONNECTIONS client connections (default 8); STREAMS h2load's streams per
#               connection (default 4)
#   REQUEST_PATH  the path the clients ask (default /: the application's own
#               route, a database write)
#   BACKEND_PROTO h1 (default) or h2: what HAProxy speaks to the replicas in
#               http mode (h2 needs replicas that serve h2c)
#   PORT_BASE   first of the loopback ports used (default 18400: +0 the
#               frontend, +1 HAProxy's stats, +10/+11 replica a's main and
#               probe ports, +20/+21 replica b's)
#   EXIT_GRACE  seconds past the drain delay the killed replica gets to exit
#               before it is killed and counted unclean (default 15)
#   STRICT=1    exit 1 when a drain-on case failed a request or its killed
#               replica did not exit cleanly
#   BUILD=0     skip `cargo build` (use the binaries in CARGO_TARGET_DIR)
# About 6 s a case beyond DURATION: 16 cases take about 2 min, plus the
# first build. Needs haproxy, wrk, h2load (nghttp2-client) and curl:
# installed with apt-get if missing (./test.sh installs them too).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-6}
KILL_AFTER=${KILL_AFTER:-2}
DRAIN_DELAY_SECS=${DRAIN_DELAY_SECS:-2}
CONNECTIONS=${CONNECTIONS:-8}
STREAMS=${STREAMS:-4}
REQUEST_PATH=${REQUEST_PATH:-/}
BACKEND_PROTO=${BACKEND_PROTO:-h1}
PORT_BASE=${PORT_BASE:-18400}
EXIT_GRACE=${EXIT_GRACE:-15}
STRICT=${STRICT:-0}
BUILD=${BUILD:-1}
CASES=${CASES:-}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/health-target}"

die() {
    echo "drain.sh: $*" >&2
    exit 2
}

# The value of `name=value` in a line of `name=value` words.
kv() { grep -oE "(^| )$1=[^ ]*" <<<"$2" | cut -d= -f2 || true; }

for var in DURATION KILL_AFTER DRAIN_DELAY_SECS CONNECTIONS STREAMS PORT_BASE EXIT_GRACE; do
    [[ ${!var} =~ ^[0-9]+$ ]] || die "$var must be a whole number, not '${!var}'"
done
((DURATION >= 1 && DURATION <= 60)) || die "DURATION must be 1 to 60 seconds"
((KILL_AFTER < DURATION)) || die "KILL_AFTER ($KILL_AFTER) must be less than DURATION ($DURATION)"
((CONNECTIONS >= 2)) || die "CONNECTIONS must be at least 2 (wrk runs 2 threads)"
((STREAMS >= 1)) || die "STREAMS must be at least 1"
((PORT_BASE >= 1024 && PORT_BASE <= 65000)) || die "PORT_BASE must be 1024 to 65000"
[[ $BACKEND_PROTO == h1 || $BACKEND_PROTO == h2 ]] || die "BACKEND_PROTO must be h1 or h2"
[[ $REQUEST_PATH == /* ]] || die "REQUEST_PATH must start with /"

# ---- the cases ----------------------------------------------------------------
all_cases=()
for adapter in axum actix; do
    for client in wrk h2load h2; do
        for mode in tcp http; do
            for drain in on off; do
                all_cases+=("$adapter-$client-$mode-$drain")
            done
        done
    done
done
cases=()
if [[ -z $CASES ]]; then
    cases=("${all_cases[@]}")
else
    read -r -a patterns <<<"${CASES//,/ }"
    for pattern in "${patterns[@]}"; do
        matched=0
        for name in "${all_cases[@]}"; do
            # shellcheck disable=SC2053 # a glob on purpose
            if [[ $name == $pattern ]]; then
                matched=1
                [[ " ${cases[*]} " == *" $name "* ]] || cases+=("$name")
            fi
        done
        ((matched)) || die "CASES: '$pattern' names no case; the cases: ${all_cases[*]}"
    done
fi

# ---- tools --------------------------------------------------------------------
missing=()
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v h2load >/dev/null 2>&1 || missing+=(nghttp2-client)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]} > 0)); then
    echo "== installing ${missing[*]} (Debian's packages)"
    sudo=()
    [[ $(id -u) == 0 ]] || sudo=(sudo -n)
    export DEBIAN_FRONTEND=noninteractive
    { "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
        { "${sudo[@]}" apt-get update -qq && "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; } ||
        die "installing ${missing[*]} failed"
fi

if [[ $BUILD != 0 ]]; then
    echo "== building axum-service and actix-service (release)"
    cargo build --release --quiet -p health-examples --bin axum-service --bin actix-service --bin h2-load
fi
BIN=$CARGO_TARGET_DIR/release

# ---- ports --------------------------------------------------------------------
FRONT=$PORT_BASE
STATS=$((PORT_BASE + 1))
A_MAIN=$((PORT_BASE + 10))
A_PROBE=$((PORT_BASE + 11))
B_MAIN=$((PORT_BASE + 20))
B_PROBE=$((PORT_BASE + 21))
port_busy() { [[ -n $(ss -Htln "sport = :$1" 2>/dev/null) ]]; }
for port in $FRONT $STATS $A_MAIN $A_PROBE $B_MAIN $B_PROBE; do
    port_busy "$port" && die "port $port is in use (set PORT_BASE)"
done

OUT=${OUT:-$(mktemp -d /tmp/drainbench.XXXXXX)}
mkdir -p "$OUT"

# ---- processes ----------------------------------------------------------------
# Every process this script starts, by pid: the trap ends each one left.
# A pid leaves the list once waited for (reaped), so that no pid the
# system may have reused is signalled.
pids=()
# stop_all: SIGTERM (a wrapper around a service may pass it on), then
# SIGKILL to whatever is left after half a second (a replica that got
# SIGTERM waits out its drain delay).
stop_all() {
    local pid left=0
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null && left=1
    done
    if ((left)); then
        sleep 0.5
    fi
    for pid in "${pids[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}
# reap PID: waits for PID (already ended or signalled) and forgets it;
# returns its exit status.
reap() {
    local rc=0 pid keep=()
    wait "$1" || rc=$?
    for pid in "${pids[@]}"; do
        [[ $pid == "$1" ]] || keep+=("$pid")
    done
    pids=("${keep[@]}")
    return "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# wait_for SECONDS COMMAND...: runs COMMAND every 0.05 s until it succeeds;
# fails after SECONDS.
wait_for() {
    local deadline=$(($(now_ms) + $1 * 1000))
    shift
    until "$@"; do
        (($(now_ms) < deadline)) || return 1
        sleep 0.05
    done
}
gone() { ! kill -0 "$1" 2>/dev/null; }
# pause SECONDS: sleeps in short steps, so that a signal's trap runs at once.
pause() {
    local end=$(($(now_ms) + $1 * 1000))
    while (($(now_ms) < end)); do
        sleep 0.05
    done
}

ready() { [[ $(curl -s -o /dev/null -m 1 -w '%{http_code}' "http://127.0.0.1:$1/ready") == 200 ]]; }
# Both servers UP in HAProxy's view (after `rise 2` checks).
both_up() {
    [[ $(curl -s -m 1 "http://127.0.0.1:$STATS/stats;csv" |
        awk -F, '$1 == "be" && ($2 == "a" || $2 == "b") && $18 ~ /^UP/' | wc -l) == 2 ]]
}

# start_replica NAME ADAPTER MAIN PROBE DRAIN DIR: sets replica_pid.
replica_pid=
start_replica() {
    local name=$1 adapter=$2 main=$3 probe=$4 drain=$5 dir=$6
    local -a vars=(
        -u DATABASE_URL -u REDIS_URL -u UPSTREAM_URL -u DRAIN_CONNECTIONS
        BIND="127.0.0.1:$main" PROBE_BIND="127.0.0.1:$probe"
        DRAIN_DELAY_SECS="$DRAIN_DELAY_SECS" HEALTH_NETWORKS=none
    )
    if [[ $drain == off ]]; then
        vars+=(DRAIN_CONNECTIONS=off)
    fi
    env "${vars[@]}" "$BIN/$adapter-service" >"$dir/$name.log" 2>&1 &
    replica_pid=$!
    pids+=("$replica_pid")
}

write_haproxy_cfg() {
    local mode=$1 file=$2 proto=""
    if [[ $mode == http && $BACKEND_PROTO == h2 ]]; then
        proto=" proto h2 check-proto h1"
    fi
    cat >"$file" <<EOF
global
    nbthread 1
defaults
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout check 1s
frontend fe
    mode $mode
    bind 127.0.0.1:$FRONT
    default_backend be
backend be
    mode $mode
    balance roundrobin
    option httpchk GET /ready
    server a 127.0.0.1:$A_MAIN check port $A_PROBE inter 300ms fall 1 rise 2$proto
    server b 127.0.0.1:$B_MAIN check port $B_PROBE inter 300ms fall 1 rise 2$proto
listen stats
    mode http
    bind 127.0.0.1:$STATS
    stats enable
    stats uri /stats
EOF
}

# count LABEL TEXT: the number after LABEL in TEXT ("12 failed": the number
# before it, with LABEL given as a suffix pattern), 0 when absent.
after() { grep -oE "$1 *[0-9]+" <<<"$2" | grep -oE '[0-9]+$' | head -n 1 || true; }
before() { grep -oE "[0-9]+ $1" <<<"$2" | grep -oE '^[0-9]+' | head -n 1 || true; }
num() { if [[ -n $1 ]]; then echo "$1"; else echo 0; fi; }

results=()
strict_failures=0
declare -A h2c_served=()
build_drains=no
grep -qa DRAIN_CONNECTIONS "$BIN/axum-service" && grep -qa DRAIN_CONNECTIONS "$BIN/actix-service" &&
    build_drains=yes
if [[ $build_drains == no ]]; then
    echo "note: these binaries do not read DRAIN_CONNECTIONS: drain on and off run the same server (the control)"
fi
echo "== ${#cases[@]} case(s), $DURATION s of load each, SIGTERM to replica a at $KILL_AFTER s, DRAIN_DELAY_SECS=$DRAIN_DELAY_SECS; logs in $OUT"

run_case() {
    local name=$1 adapter client mode drain dir
    IFS=- read -r adapter client mode drain <<<"$name"
    dir=$OUT/$name
    rm -rf "$dir"
    mkdir -p "$dir"

    start_replica a "$adapter" "$A_MAIN" "$A_PROBE" "$drain" "$dir"
    local pid_a=$replica_pid
    start_replica b "$adapter" "$B_MAIN" "$B_PROBE" "$drain" "$dir"
    if ! wait_for 30 ready "$A_PROBE" || ! wait_for 30 ready "$B_PROBE"; then
        tail -n 20 "$dir/a.log" "$dir/b.log" >&2
        die "$name: a replica's /ready did not answer 200 within 30 s"
    fi

    # h2load over tcp needs replicas that speak h2c themselves.
    if [[ $client != wrk && $mode == tcp ]]; then
        if [[ -z ${h2c_served[$adapter]:-} ]]; then
            if timeout 10 h2load -n 1 -c 1 "http://127.0.0.1:$A_MAIN$REQUEST_PATH" 2>&1 |
                grep -qE 'requests: .* 1 succeeded'; then
                h2c_served[$adapter]=yes
            else
                h2c_served[$adapter]=no
            fi
        fi
        if [[ ${h2c_served[$adapter]} == no ]]; then
            stop_all
            results+=("drain-result case=$name adapter=$adapter client=$client mode=$mode drain=$drain skipped=no-h2c")
            echo "${results[-1]}"
            return 0
        fi
    fi

    write_haproxy_cfg "$mode" "$dir/haproxy.cfg"
    haproxy -db -f "$dir/haproxy.cfg" >"$dir/haproxy.log" 2>&1 &
    pids+=($!)
    if ! wait_for 15 both_up; then
        cat "$dir/haproxy.log" >&2
        die "$name: HAProxy did not see both replicas UP within 15 s"
    fi

    local url="http://127.0.0.1:$FRONT$REQUEST_PATH" load
    # Each client is a direct child (no wrapper), so that the pid the trap
    # signals is the client's own.
    if [[ $client == wrk ]]; then
        wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" "$url" >"$dir/client.out" 2>&1 &
    elif [[ $client == h2 ]]; then
        "$BIN/h2-load" "127.0.0.1:$FRONT" "$REQUEST_PATH" --connections "$CONNECTIONS" \
            --streams "$STREAMS" --duration "$DURATION" >"$dir/client.out" 2>&1 &
    else
        h2load -c "$CONNECTIONS" -m "$STREAMS" -D "$DURATION" \
            --log-file="$dir/requests.tsv" "$url" >"$dir/client.out" 2>&1 &
    fi
    load=$!
    pids+=("$load")
    pause "$KILL_AFTER"
    local killed_at
    killed_at=$(now_ms)
    kill -TERM "$pid_a"

    # The killed replica: gone within the drain delay plus EXIT_GRACE?
    local exit_ms=-1 rc=-1 clean=no
    if wait_for $((DRAIN_DELAY_SECS + EXIT_GRACE)) gone "$pid_a"; then
        exit_ms=$(($(now_ms) - killed_at))
        rc=0
        reap "$pid_a" || rc=$?
        if [[ $rc == 0 ]]; then
            clean=yes
        fi
    else
        clean=timeout
        kill -KILL "$pid_a" 2>/dev/null || true
        reap "$pid_a" || true
    fi
    local client_rc=0
    if ! wait_for $((DURATION + 20)) gone "$load"; then
        echo "drain.sh: $name: the client did not end in time: killed" >&2
        kill -KILL "$load" 2>/dev/null || true
    fi
    reap "$load" || client_rc=$?
    # Replica b and HAProxy have served their purpose.
    stop_all

    local requests failed errors non2xx stopped=0 out line
    out=$(cat "$dir/client.out")
    if [[ $client == wrk ]]; then
        # "  71234 requests in 6.00s, ..."; "  Socket errors: connect 0,
        # read 4, write 0, timeout 0" and "  Non-2xx or 3xx responses: 3"
        # only when not all 0.
        requests=$(num "$(before 'requests in' "$out")")
        line=$(grep -E 'Socket errors:' <<<"$out" || true)
        errors=$(($(num "$(after connect "$line")") + $(num "$(after read "$line")") +
            $(num "$(after write "$line")") + $(num "$(after timeout "$line")")))
        non2xx=$(num "$(after 'Non-2xx or 3xx responses:' "$out")")
        failed=$((errors + non2xx))
    elif [[ $client == h2 ]]; then
        # "h2-load requests=N ok=N non2xx=N failed=N retried=N reconnects=N ..."
        line=$(grep -E '^h2-load ' <<<"$out" || true)
        requests=$(kv requests "$line")
        non2xx=$(kv non2xx "$line")
        errors=$(kv failed "$line")
        requests=${requests:-0} non2xx=${non2xx:-0} errors=${errors:-0}
        failed=$((errors + non2xx))
        # Not a failure: requests never sent, sent again on a new connection.
        stopped=$(kv retried "$line")
        stopped=${stopped:-0}
    else
        # "requests: 9 total, 9 started, 9 done, 7 succeeded, 2 failed,
        # 2 errored, 0 timeout"; "status codes: 7 2xx, 0 3xx, 0 4xx, 0 5xx"
        line=$(grep -E '^requests:' <<<"$out" || true)
        requests=$(num "$(before 'done' "$line")")
        failed=$(num "$(before failed "$line")")
        errors=$(num "$(before errored "$line")")
        line=$(grep -E '^status codes:' <<<"$out" || true)
        non2xx=$(($(num "$(before 4xx "$line")") + $(num "$(before 5xx "$line")")))
        stopped=$(grep -c 'Process Request Failure' <<<"$out" || true)
    fi
    if ((client_rc != 0)) || [[ $requests == 0 ]]; then
        echo "drain.sh: $name: the client exited with status $client_rc or counted no request; its output:" >&2
        cat "$dir/client.out" >&2
    fi

    local audit=no
    grep -qa requests_during_delay "$dir/a.log" && audit=yes
    results+=("drain-result case=$name adapter=$adapter client=$client mode=$mode drain=$drain requests=$requests failed=$failed errors=$errors non2xx=$non2xx stopped=$stopped killed_rc=$rc killed_exit_ms=$exit_ms clean=$clean audit=$audit")
    echo "${results[-1]}"
    if [[ $audit == yes ]]; then
        echo "  audit of replica a: $(grep -a requests_during_delay "$dir/a.log" | tail -n 1)"
    fi
    if [[ $drain == on ]] && { ((failed > 0)) || [[ $clean != yes ]]; }; then
        strict_failures=$((strict_failures + 1))
    fi
}

for name in "${cases[@]}"; do
    run_case "$name"
done

# ---- the table ------------------------------------------------------------------
echo
printf '%-22s %9s %7s %7s %7s %8s %-16s %s\n' \
    case requests failed errors non2xx stopped "killed replica" audit
for line in "${results[@]}"; do
    name=$(kv case "$line")
    skipped=$(kv skipped "$line")
    if [[ -n $skipped ]]; then
        printf '%-22s %s\n' "$name" "skipped: $skipped (the replicas answer no HTTP/2 with prior knowledge)"
        continue
    fi
    killed="$(kv clean "$line")"
    [[ $killed == yes || $killed == no ]] && killed="$killed rc=$(kv killed_rc "$line") $(kv killed_exit_ms "$line")ms"
    printf '%-22s %9s %7s %7s %7s %8s %-16s %s\n' "$name" \
        "$(kv requests "$line")" "$(kv failed "$line")" "$(kv errors "$line")" \
        "$(kv non2xx "$line")" "$(kv stopped "$line")" "$killed" "$(kv audit "$line")"
done
echo "(wrk: failed = socket errors + non-2xx; h2load: failed and errored as it counts them, stopped = clients that stopped after a GOAWAY; h2 (h2-load, reconnects after GOAWAY): failed = errors after a request left + non-2xx, stopped = requests never sent, sent again; see the comment at the top)"

if [[ $STRICT == 1 ]] && ((strict_failures > 0)); then
    echo "drain.sh: $strict_failures drain-on case(s) failed a request or did not exit cleanly" >&2
    exit 1
fi
