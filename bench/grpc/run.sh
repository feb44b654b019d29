#!/usr/bin/env bash
# gRPC benchmark: grpc.health.v1.Health/Check of "" through tonic, one
# HTTP/2 connection with N calls in flight (bench/grpc/src/bin/load.rs),
# against bench/grpc/src/bin/server.rs in three modes:
#   floor         a constant service: SERVING without touching a registry,
#                 built from the same tonic parts as health::tonic
#   health        health::tonic::HealthServer over ten cached checks
#                 (cache = 1h), answered through the registry's verdict
#   tonic-health  tonic-health's hand-set server, for reference
#   empty         (MODES="floor empty health") health::tonic over a registry
#                 without checks: the crate's own cost
#
# The server is pinned to core 0 and the load generator to core 1
# (taskset); both run on tokio's current-thread runtime, on 127.0.0.1.
# Besides req/s, the table gives the server's CPU time per request
# (utime + stime from /proc/PID/stat, before and after the measured run):
# the load generator saturates its own core too, so req/s alone can hide
# a cheaper server. "core0 other%" is core 0's busy time not charged to the
# server, as a share of the run: more than a few % means something else
# ran there; rerun on a quiet machine.
#
# Environment: ROUNDS (default 3; the table shows medians), DURATION
# (seconds per measured run, default 5, at most 10), CONCURRENCY (calls in
# flight, default 32), PORT (default 50151), MODES (default
# "floor health tonic-health"). Each run is preceded by a 1 s
# warm-up (which also fills the checks' cache). About ROUNDS x 3 x
# (DURATION + 2) s, plus the first release build.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONCURRENCY=${CONCURRENCY:-32}
PORT=${PORT:-50151}
MODES="${MODES:-floor health tonic-health}"
TARGET_RATIO=1.10

if ! [[ $DURATION =~ ^[0-9]+$ ]] || ((DURATION < 1 || DURATION > 10)); then
    echo "DURATION must be a whole number of seconds, 1 to 10" >&2
    exit 2
fi
if (($(nproc) < 2)); then
    echo "needs 2 cores: the server on core 0, the load generator on core 1" >&2
    exit 2
fi

echo "== building the bench server and the load generator (release)"
cargo build --release --quiet -p health-bench-grpc --bin grpc-bench-server --bin grpc-load
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release"

TICKS=$(getconf CLK_TCK)
OUT=$(mktemp -d)
SERVER=""
cleanup() {
    if [[ -n $SERVER ]] && kill -0 "$SERVER" 2>/dev/null; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
    fi
    rm -rf "$OUT"
}
trap cleanup EXIT

# utime + stime of a process, in clock ticks (fields 14 and 15 of
# /proc/PID/stat; counted after the ")" closing the command name).
cpu_ticks() {
    sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

wait_for_port() {
    for _ in $(seq 100); do
        if ! kill -0 "$SERVER" 2>/dev/null; then
            echo "grpc-bench-server exited" >&2
            return 1
        fi
        if port_open; then
            return 0
        fi
        sleep 0.05
    done
    echo "grpc-bench-server did not listen on 127.0.0.1:$PORT" >&2
    return 1
}

# Busy ticks of core 0 (user nice system irq softirq steal in /proc/stat).
core0_busy() {
    awk '$1 == "cpu0" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }

echo "== ${ROUNDS} rounds of ${DURATION}s per run, ${CONCURRENCY} calls in flight on one connection, server on core 0, client on core 1"
# Rounds interleave the cases, so a disturbance hits one sample of each
# rather than every sample of one; the table shows medians.
for round in $(seq "$ROUNDS"); do
    for mode in $MODES; do
        if port_open; then
            echo "127.0.0.1:$PORT is already in use (set PORT)" >&2
            exit 1
        fi
        taskset -c 0 "$BIN/grpc-bench-server" "$mode" "127.0.0.1:$PORT" >/dev/null &
        SERVER=$!
        wait_for_port
        taskset -c 1 "$BIN/grpc-load" "127.0.0.1:$PORT" --concurrency "$CONCURRENCY" \
            --warmup 0 --duration 1 >/dev/null
        before=$(cpu_ticks "$SERVER")
        core0_before=$(core0_busy)
        started=$(date +%s%N)
        taskset -c 1 "$BIN/grpc-load" "127.0.0.1:$PORT" --concurrency "$CONCURRENCY" \
            --warmup 0 --duration "$DURATION" >"$OUT/$mode"
        after=$(cpu_ticks "$SERVER")
        core0_after=$(core0_busy)
        elapsed_ns=$(($(date +%s%N) - started))
        kill "$SERVER"
        wait "$SERVER" 2>/dev/null || true
        SERVER=""

        f="$OUT/$mode"
        requests=$(field requests "$f")
        rps=$(field rps "$f")
        errors=$(field errors "$f")
        cpu_us=$(awk -v t=$((after - before)) -v hz="$TICKS" -v n="$requests" \
            'BEGIN { printf "%.3f", (n > 0 ? t / hz * 1e6 / n : 0) }')
        other=$(awk -v busy=$((core0_after - core0_before)) -v own=$((after - before)) \
            -v hz="$TICKS" -v ns="$elapsed_ns" 'BEGIN { printf "%.1f", (busy - own) / hz * 1e11 / ns }')
        echo "$mode $rps $cpu_us $requests $errors $other" >>"$OUT/samples"
        printf '   round %s  %-13s %10s req/s  %7s us CPU/req\n' "$round" "$mode" "$rps" "$cpu_us"
    done
done

# The median of each column over the rounds (requests and errors summed).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for mode in $MODES; do
    rows=$(awk -v m="$mode" '$1 == m' "$OUT/samples")
    col() { echo "$rows" | awk -v c="$1" '{ print $c }' | median; }
    sum() { echo "$rows" | awk -v c="$1" '{ n += $c } END { print n + 0 }'; }
    echo "$mode $(col 2) $(col 3) $(sum 4) $(sum 5) $(col 6)" >>"$OUT/results"
done

echo
awk -v target="$TARGET_RATIO" '
    { rps[$1] = $2; cpu[$1] = $3; order[++n] = $0 }
    END {
        label["floor"] = "floor (constant)"; label["health"] = "health::tonic, 10 cached"
        label["tonic-health"] = "tonic-health"; label["empty"] = "health::tonic, no checks"
        printf "| %-24s | %10s | %11s | %10s | %6s | %12s |\n", "server", "req/s", "CPU us/req", "requests", "errors", "core0 other%"
        printf "|%s|%s|%s|%s|%s|%s|\n", "--------------------------", "------------", "-------------", "------------", "--------", "--------------"
        for (i = 1; i <= n; i++) {
            split(order[i], r, " ")
            printf "| %-24s | %10.0f | %11.3f | %10d | %6d | %12.1f |\n", label[r[1]], r[2], r[3], r[4], r[5], r[6]
        }
        print ""
        ratio = cpu["health"] / cpu["floor"]
        printf "health / floor: CPU per request %.3fx (target within %.2fx: %s), req/s %.3fx\n",
            ratio, target, (ratio <= target ? "met" : "MISSED"), rps["health"] / rps["floor"]
        if ("tonic-health" in cpu)
            printf "health / tonic-health: CPU per request %.3fx, req/s %.3fx\n",
                cpu["health"] / cpu["tonic-health"], rps["health"] / rps["tonic-health"]
        if ("empty" in cpu)
            printf "empty / floor: CPU per request %.3fx, req/s %.3fx\n",
                cpu["empty"] / cpu["floor"], rps["empty"] / rps["floor"]
    }' "$OUT/results"
