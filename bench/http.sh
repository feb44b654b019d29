#!/usr/bin/env bash
# HTTP benchmark of the adapters: wrk against bench-server
# (examples/src/bin/bench-server.rs), one run after another, for each
# framework:
#   (a) static        the framework's bare handler answering {"status":"UP"}
#   (b) health        GET /health through the adapter (precomputed answer)
#   (c) ready         GET /ready: 10 checks of 10 ms each (tokio sleep)
#   (d) ready-cached  the same checks with cache = "5s"
#
# The server is pinned to core 0 and wrk to core 1 (taskset), 127.0.0.1
# only. Both frameworks run single-threaded: axum on tokio's current-thread
# runtime, actix-web with one worker. Besides req/s and latency, the table
# gives the server's CPU time per request (utime + stime from
# /proc/PID/stat, before and after the measured run): on a 2-core machine
# wrk saturates its own core at about 200k req/s, so req/s alone can hide
# a cheaper server. "core0 other%" is core 0's busy time not charged to
# the server (other processes, interrupts) as a share of the run: more than
# a few % means something else ran on the server's core; rerun on a quiet
# machine.
#
# Environment: ROUNDS (default 3; the table shows medians over rounds),
# DURATION (seconds per measured run, default 5, at most 10),
# CONNECTIONS (default 32), FRAMEWORKS (default "axum actix"),
# PORT (default 18090). Each run is preceded by a 1 s warm-up; the whole
# script takes about ROUNDS x 8 x (DURATION + 2) s (under 3 min by
# default) plus the first release build.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
FRAMEWORKS=${FRAMEWORKS:-axum actix}
PORT=${PORT:-18090}
MODES="static health ready ready-cached"
TARGET_P50_MS=12

if ! [[ $DURATION =~ ^[0-9]+$ ]] || ((DURATION < 1 || DURATION > 10)); then
    echo "DURATION must be a whole number of seconds, 1 to 10" >&2
    exit 2
fi
if (($(nproc) < 2)); then
    echo "needs 2 cores: the server on core 0, wrk on core 1" >&2
    exit 2
fi

if ! command -v wrk >/dev/null; then
    echo "== installing wrk"
    apt-get update -qq
    apt-get install -y -qq wrk >/dev/null
fi

echo "== building bench-server (release, without the services' dependencies)"
cargo build --release --quiet -p health-examples --no-default-features --bin bench-server
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/bench-server"

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

path_of() {
    case $1 in
        static) echo /static ;;
        health) echo /health ;;
        *) echo /ready ;;
    esac
}

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
            echo "bench-server exited" >&2
            return 1
        fi
        if port_open; then
            return 0
        fi
        sleep 0.05
    done
    echo "bench-server did not listen on 127.0.0.1:$PORT" >&2
    return 1
}

# Busy ticks of core 0 (user nice system irq softirq steal in /proc/stat).
core0_busy() {
    awk '$1 == "cpu0" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# A wrk latency ("812.00us", "1.23ms", "2.01s") in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.3f", v * 60000 }
        else { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    }'
}

echo "== ${ROUNDS} rounds of ${DURATION}s per run, ${CONNECTIONS} connections, server on core 0, wrk on core 1"
# Rounds interleave the cases, so a disturbance hits one sample of each
# rather than every sample of one; the table shows medians.
for round in $(seq "$ROUNDS"); do
for fw in $FRAMEWORKS; do
    for mode in $MODES; do
        url="http://127.0.0.1:$PORT$(path_of "$mode")"
        if port_open; then
            echo "127.0.0.1:$PORT is already in use (set PORT)" >&2
            exit 1
        fi
        taskset -c 0 "$BIN" "$fw" "$mode" "127.0.0.1:$PORT" >/dev/null &
        SERVER=$!
        wait_for_port
        # Warm-up: connections, allocator, and (d)'s cache.
        taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d1s "$url" >/dev/null
        before=$(cpu_ticks "$SERVER")
        core0_before=$(core0_busy)
        started=$(date +%s%N)
        taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$url" >"$OUT/$fw-$mode"
        after=$(cpu_ticks "$SERVER")
        core0_after=$(core0_busy)
        elapsed_ns=$(($(date +%s%N) - started))
        kill "$SERVER"
        wait "$SERVER" 2>/dev/null || true
        SERVER=""

        f="$OUT/$fw-$mode"
        requests=$(awk '/requests in/ { print $1 }' "$f")
        rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
        p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")
        p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")
        errors=$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$f")
        cpu_us=$(awk -v t=$((after - before)) -v hz="$TICKS" -v n="$requests" \
            'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / n : 0) }')
        # Core 0's busy time not charged to the server (other processes,
        # interrupts): above a few % the run was disturbed.
        other=$(awk -v busy=$((core0_after - core0_before)) -v own=$((after - before)) \
            -v hz="$TICKS" -v ns="$elapsed_ns" 'BEGIN { printf "%.1f", (busy - own) / hz * 1e11 / ns }')
        echo "$fw $mode $rps $p50 $p99 $cpu_us $requests $errors $other" >>"$OUT/samples"
        printf '   round %s  %-6s %-13s %10s req/s\n' "$round" "$fw" "$mode" "$rps"
    done
done
done

# The median of each column over the rounds (requests and errors summed).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
for fw in $FRAMEWORKS; do
    for mode in $MODES; do
        rows=$(awk -v fw="$fw" -v m="$mode" '$1 == fw && $2 == m' "$OUT/samples")
        col() { echo "$rows" | awk -v c="$1" '{ print $c }' | median; }
        sum() { echo "$rows" | awk -v c="$1" '{ n += $c } END { print n + 0 }'; }
        echo "$fw $mode $(col 3) $(col 4) $(col 5) $(col 6) $(sum 7) $(sum 8) $(col 9)" >>"$OUT/results"
    done
done

echo
awk -v target="$TARGET_P50_MS" '
    { rps[$1, $2] = $3; p50[$1, $2] = $4; p99[$1, $2] = $5; cpu[$1, $2] = $6
      if (!($1 in seen)) { seen[$1] = 1; fws[++nfw] = $1 }
      order[++n] = $0 }
    END {
        label["static"] = "(a) static"; label["health"] = "(b) /health"
        label["ready"] = "(c) /ready 10x10ms"; label["ready-cached"] = "(d) /ready cached"
        printf "| %-6s | %-18s | %10s | %9s | %9s | %11s | %9s | %6s | %12s |\n", "server", "case", "req/s", "p50 ms", "p99 ms", "CPU us/req", "requests", "errors", "core0 other%"
        printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "--------", "--------------------", "------------", "-----------", "-----------", "-------------", "-----------", "--------", "--------------"
        for (i = 1; i <= n; i++) {
            split(order[i], r, " ")
            printf "| %-6s | %-18s | %10.0f | %9.3f | %9.3f | %11.2f | %9d | %6d | %12.1f |\n", r[1], label[r[2]], r[3], r[4], r[5], r[6], r[7], r[8], r[9]
        }
        print ""
        for (k = 1; k <= nfw; k++) {
            fw = fws[k]
            printf "%s: (b)/(a) req/s %.2f, CPU/req %.2f | (d)/(b) req/s %.2f, CPU/req %.2f | (c) p50 %.2f ms vs %d ms target: %s\n",
                fw,
                rps[fw, "health"] / rps[fw, "static"], cpu[fw, "health"] / cpu[fw, "static"],
                rps[fw, "ready-cached"] / rps[fw, "health"], cpu[fw, "ready-cached"] / cpu[fw, "health"],
                p50[fw, "ready"], target, (p50[fw, "ready"] <= target ? "met" : "MISSED")
        }
    }' "$OUT/results"
