#!/usr/bin/env bash
# Instructions per request, noise-free: each case's server runs under
# `valgrind --tool=callgrind` twice, answering N and then 2N keep-alive
# requests (one connection, one request after another, every answer checked
# by bench-client), and (Ir(2N) - Ir(N)) / N is what one request costs the
# server process, start-up and shutdown cancelling out. Instruction counts
# do not depend on what else the machine does: identical runs agree to
# about 0.1 %, and one case is run twice to show it.
#
# Cases, per framework (axum, actix-web; both single-threaded, as in
# bench/http.sh), all served by examples/src/bin/bench-server.rs:
#   static   the framework's bare handler answering {"status":"UP"}
#            (application/json): the floor, 1.00
#   health   GET /health, no liveness checks
#   ready    GET /ready over ten cached checks, anonymous
#   verbose  GET /ready?verbose over the same checks, with a bearer token
#            (the server discloses details to that token)
#   components  GET /ready with the token: the components over the ten
#            cached checks (what an allowed caller's selection answers)
#   selection  GET /ready?tag=cached with the token (a selection needs an
#            allowed caller): the same components, selected
#   composed-static, composed  an application composed as the README
#            shows (its routes and the health routes in one router):
#            its own /static (the floor of composed) and /health
# The checks are cached for an hour (BENCH_CACHE_SECS), so none runs again
# while instructions are counted.
#
# Prints one table: instructions per request, the ratio to the same
# framework's bare handler, and the targets of issue 11 (/health <= 1.03x,
# /ready cached anonymous <= 1.25x, verbose: half its 87ad3c7 ratio). For profiling, the
# output directory keeps, for every health case (health, ready, verbose):
#   FW-CASE.2N.inclusive.txt  callgrind_annotate --inclusive=yes, 2N run
#   FW-CASE.2N.self.txt       callgrind_annotate (self cost), 2N run
#   FW-CASE.per-request.txt   self cost per request of each function:
#                             (Ir(2N) - Ir(N)) / N per function, start-up
#                             gone; the static case's too, to compare
#                             (.by-file.txt: split by source file, as
#                             callgrind splits a function into the files
#                             inlined into it)
#   FW-CASE.above-floor.txt   the same minus the static case's: where the
#                             instructions above the floor go (the top of
#                             it is printed after the table)
# and the callgrind files themselves (FW-CASE-COUNT.out; open them with
# kcachegrind or callgrind_annotate).
#
# Environment: N (default 2000), FRAMEWORKS (default "axum actix"),
# CASES (default "static health ready verbose"; static is always run, it
# is the floor), REPEAT (a case run twice more to show repeatability,
# default "axum/health"; "" for none), PORT (default 18190), OUT (output
# directory, default a new /tmp/callgrind.XXXXXX), TOP (rows of the
# printed top lists, default 10). A full default run takes 3 to 5 minutes, plus the
# first build (profile bench-callgrind: release with line tables).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-2000}
FRAMEWORKS=${FRAMEWORKS:-axum actix}
CASES=${CASES:-static health ready verbose components selection composed-static composed}
REPEAT=${REPEAT-axum/health}
PORT=${PORT:-18190}
TOP=${TOP:-10}
TOKEN=bench-token-0123456789abcdef # bench-server's TOKEN
ADDR=127.0.0.1:$PORT
# Bounds on every wait: the server's start under valgrind, one client run,
# the server's exit after SIGTERM.
CLIENT_TIMEOUT=600
EXIT_TIMEOUT=60

if ! [[ $N =~ ^[0-9]+$ ]] || ((N < 100 || N > 100000)); then
    echo "N must be a whole number, 100 to 100000" >&2
    exit 2
fi
if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
    echo "needs valgrind (apt-get install -y valgrind)" >&2
    exit 2
fi
if [[ " $CASES " != *" static "* ]]; then
    CASES="static $CASES"
fi

OUT=${OUT:-$(mktemp -d /tmp/callgrind.XXXXXX)}
mkdir -p "$OUT"

echo "== building bench-server and bench-client (profile bench-callgrind, without the services' dependencies)"
cargo build --profile bench-callgrind --quiet -p health-examples --no-default-features \
    --bin bench-server --bin bench-client
BIN_DIR="${CARGO_TARGET_DIR:-$PWD/target}/bench-callgrind"
SERVER_BIN="$BIN_DIR/bench-server"
CLIENT_BIN="$BIN_DIR/bench-client"

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

mode_of() {
    case $1 in
        static) echo static ;;
        health) echo health ;;
        ready) echo ready-cached ;;
        verbose) echo ready-verbose ;;
        components | selection) echo ready-verbose ;;
        composed-static | composed) echo composed ;;
        *) echo "unknown case $1" >&2; return 1 ;;
    esac
}

# One server run under callgrind answering COUNT requests; sets TOTAL to
# the process's total instructions (Ir). The callgrind file is
# OUT/NAME.out. (A global rather than stdout: in a command substitution
# the EXIT trap would not stop the server of a failed run.)
TOTAL=""
measure() {
    local fw=$1 case=$2 count=$3 name=$4
    local file="$OUT/$name.out" log="$OUT/$name.log"
    # bench-client's path and what every answer must be.
    local -a args
    case $case in
        static) args=(/static --body '{"status":"UP"}' --content-type application/json) ;;
        health) args=(/health --body '{"status":"UP"}') ;;
        ready) args=(/ready --body '{"status":"UP"}') ;;
        verbose) args=("/ready?verbose" --header "authorization: Bearer $TOKEN"
            --contains '"sleep-0"' --contains '"sleep-9"') ;;
        components) args=(/ready --header "authorization: Bearer $TOKEN"
            --contains '"sleep-0":{"status":"UP","critical":true}' --contains '"sleep-9"') ;;
        selection) args=("/ready?tag=cached" --header "authorization: Bearer $TOKEN"
            --contains '"sleep-0":{"status":"UP","critical":true}' --contains '"sleep-9"') ;;
        composed-static) args=(/static --body '{"status":"UP"}' --content-type application/json) ;;
        composed) args=(/health --body '{"status":"UP"}') ;;
    esac
    if port_open; then
        echo "$ADDR is already in use (set PORT)" >&2
        return 1
    fi
    rm -f "$file"
    BENCH_CACHE_SECS=3600 valgrind --tool=callgrind --callgrind-out-file="$file" \
        "$SERVER_BIN" "$fw" "$(mode_of "$case")" "$ADDR" >"$log" 2>&1 &
    SERVER=$!
    # bench-client retries connecting while valgrind starts the server.
    if ! timeout "$CLIENT_TIMEOUT" "$CLIENT_BIN" "$ADDR" "${args[0]}" "$count" "${args[@]:1}" \
        --connect-timeout 120 --timeout 120 >"$OUT/$name.client" 2>&1; then
        echo "bench-client failed against $fw $case:" >&2
        cat "$OUT/$name.client" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    kill -TERM "$SERVER"
    local waited=0
    while kill -0 "$SERVER" 2>/dev/null; do
        if ((waited >= EXIT_TIMEOUT * 10)); then
            echo "$fw $case: the server did not exit ${EXIT_TIMEOUT}s after SIGTERM" >&2
            return 1
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
    wait "$SERVER" 2>/dev/null || true
    SERVER=""
    local total
    total=$(awk '$1 == "totals:" { print $2; exit }' "$file" 2>/dev/null || true)
    if ! [[ $total =~ ^[0-9]+$ ]]; then
        echo "$fw $case: callgrind wrote no totals to $file" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    TOTAL=$total
}

# Self cost per function of a callgrind file, "Ir<TAB>function", all
# functions (threshold 100 %), with shorter names: crates.io sources as
# crate-version/path, the standard library as std/path, the server's own
# object name dropped (other objects, libc, stay in brackets).
self_costs() {
    callgrind_annotate --auto=no --inclusive=no --threshold=100 "$1" 2>/dev/null |
        awk -v bin="$SERVER_BIN" '
            /^Ir +file:function/ { table = 1; next }
            table && /^ *[0-9][0-9,]* \(/ {
                ir = $1; gsub(/,/, "", ir)
                fn = $0; sub(/^ *[0-9,]+ +\([^)]*\) +/, "", fn)
                sub(/^.*\/\.cargo\/registry\/src\/[^\/]*\//, "", fn)
                sub(/^\/rustc\/[0-9a-f]*\/library\//, "std/", fn)
                i = index(fn, " [" bin "]")
                if (i > 0) fn = substr(fn, 1, i - 1)
                print ir "\t" fn
            }'
}

# Self costs summed by function, over the source files callgrind splits a
# function into (code inlined from other files): "Ir<TAB>function".
by_function() {
    awk -F'\t' '{ fn = $2; i = index(fn, ":"); if (i > 0) fn = substr(fn, i + 1); s[fn] += $1 }
        END { for (f in s) printf "%.1f\t%s\n", s[f], f }' "$1" | sort -t$'\t' -k1,1gr
}

# Per-request self cost of each function: (self(2N) - self(N)) / N.
per_request() {
    local small=$1 large=$2 count=$3
    awk -F'\t' -v n="$count" '
        FNR == NR { a[$2] = $1; next }
        { b[$2] = $1 }
        END {
            for (f in b) d[f] = b[f] - a[f]
            for (f in a) if (!(f in b)) d[f] = -a[f]
            for (f in d) if (d[f] != 0) printf "%10.1f\t%s\n", d[f] / n, f
        }' <(self_costs "$small") <(self_costs "$large") | sort -t$'\t' -k1,1gr
}

# Per function, what a case's request costs more than a static one:
# per-request self cost of the case minus that of the bare handler.
above_floor() {
    awk -F'\t' '
        FNR == NR { a[$2] = $1; next }
        { b[$2] = $1 }
        END {
            for (f in b) d[f] = b[f] - a[f]
            for (f in a) if (!(f in b)) d[f] = -a[f]
            for (f in d) if (d[f] >= 0.05 || d[f] <= -0.05) printf "%10.1f\t%s\n", d[f], f
        }' "$1" "$2" | sort -t$'\t' -k1,1gr
}

declare -A IR
run_case() {
    local fw=$1 case=$2 tag=$3
    local small large
    measure "$fw" "$case" "$N" "$fw-$case$tag-$N"
    small=$TOTAL
    measure "$fw" "$case" $((2 * N)) "$fw-$case$tag-$((2 * N))"
    large=$TOTAL
    IR[$fw/$case$tag]=$(((large - small) / N))
    printf '   %-6s %-8s Ir(N)=%s Ir(2N)=%s -> %s per request\n' \
        "$fw" "$case$tag" "$small" "$large" "${IR[$fw/$case$tag]}"
}

echo "== N=$N and 2N=$((2 * N)) requests per case, output in $OUT"
for fw in $FRAMEWORKS; do
    for case in $CASES; do
        run_case "$fw" "$case" ""
        if [[ $case != static ]]; then
            base="$OUT/$fw-$case-$((2 * N))"
            callgrind_annotate --auto=no --inclusive=yes "$base.out" \
                >"$OUT/$fw-$case.2N.inclusive.txt" 2>/dev/null
            callgrind_annotate --auto=no --inclusive=no "$base.out" \
                >"$OUT/$fw-$case.2N.self.txt" 2>/dev/null
        fi
        per_request "$OUT/$fw-$case-$N.out" "$OUT/$fw-$case-$((2 * N)).out" "$N" \
            >"$OUT/$fw-$case.per-request.by-file.txt"
        by_function "$OUT/$fw-$case.per-request.by-file.txt" >"$OUT/$fw-$case.per-request.txt"
        if [[ $case != static ]]; then
            above_floor "$OUT/$fw-static.per-request.txt" "$OUT/$fw-$case.per-request.txt" \
                >"$OUT/$fw-$case.above-floor.txt"
        fi
    done
done
if [[ -n $REPEAT ]]; then
    run_case "${REPEAT%%/*}" "${REPEAT#*/}" ".again"
fi

# The targets of issue 11; for verbose, half its ratio on 87ad3c7.
target_of() {
    case $1/$2 in
        */static) echo "1.00 (floor)" ;;
        */health) echo "<= 1.03" ;;
        */ready) echo "<= 1.25" ;;
        axum/verbose) echo "<= 2.08 (half of 4.16)" ;;
        actix/verbose) echo "<= 1.555 (half of 3.11)" ;;
        */verbose) echo "report" ;;
        */components) echo "report" ;;
        */selection) echo "<= 1.10" ;;
        */composed-static) echo "1.00 (its floor)" ;;
        */composed) echo "<= 1.03 of its floor" ;;
    esac
}
limit_of() {
    case $1/$2 in
        */health) echo 1.03 ;;
        */ready) echo 1.25 ;;
        axum/verbose) echo 2.08 ;;
        actix/verbose) echo 1.555 ;;
        */selection) echo 1.10 ;;
        */composed) echo 1.03 ;;
        *) echo "" ;;
    esac
}

echo
echo "== instructions per request (server process; (Ir(2N) - Ir(N)) / N, N=$N)"
printf '%-9s %-22s %12s %8s  %-24s %s\n' framework case "Ir/request" ratio target met
for fw in $FRAMEWORKS; do
    for case in $CASES; do
        ir=${IR[$fw/$case]}
        # The composed application's probe against its own bare route.
        case $case in
            composed*) floor=${IR[$fw/composed-static]:-${IR[$fw/static]}} ;;
            *) floor=${IR[$fw/static]} ;;
        esac
        ratio=$(awk -v a="$ir" -v b="$floor" 'BEGIN { printf "%.3f", a / b }')
        limit=$(limit_of "$fw" "$case")
        met=""
        if [[ -n $limit ]]; then
            met=$(awk -v r="$ratio" -v l="$limit" 'BEGIN { print (r <= l ? "yes" : "NO") }')
        fi
        case $case in
            static) label="static (bare handler)" ;;
            health) label="/health" ;;
            ready) label="/ready cached, anon" ;;
            verbose) label="/ready?verbose, token" ;;
            components) label="/ready, token" ;;
            selection) label="/ready?tag=, token" ;;
            composed-static) label="composed: its /static" ;;
            composed) label="composed: /health" ;;
        esac
        printf '%-9s %-22s %12s %8s  %-24s %s\n' "$fw" "$label" "$ir" "${ratio}x" \
            "$(target_of "$fw" "$case")" "$met"
    done
done
if [[ -n $REPEAT ]]; then
    first=${IR[$REPEAT]}
    second=${IR["$REPEAT.again"]}
    echo
    printf 'repeatability: %s twice: %s and %s Ir/request (%s %%)\n' "$REPEAT" "$first" "$second" \
        "$(awk -v a="$first" -v b="$second" 'BEGIN { d = (b - a) / a * 100; printf "%+.2f", d }')"
fi

echo
echo "== where the instructions above the floor go: self Ir per request, case minus bare handler, top $TOP"
for fw in $FRAMEWORKS; do
    for case in $CASES; do
        if [[ $case == static ]]; then
            continue
        fi
        echo "-- $fw $case (+${IR[$fw/$case]} - ${IR[$fw/static]} = $((IR[$fw/$case] - IR[$fw/static])) Ir)"
        head -n "$TOP" "$OUT/$fw-$case.above-floor.txt" | cut -c1-160
    done
done
echo
echo "profiles in $OUT: FW-CASE.per-request.txt (self Ir per request by function),"
echo "FW-CASE.above-floor.txt (the same minus the bare handler's), FW-CASE.2N.{self,inclusive}.txt"
echo "(callgrind_annotate of the 2N run), FW-CASE-COUNT.out (callgrind files)"
