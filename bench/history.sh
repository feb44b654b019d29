#!/usr/bin/env bash
# Resident memory of check histories (issue 9): a registry of CHECKS no-op
# checks (default 1000), every check run ROUNDS times (default 70, so a
# history of 60 is full), with the default history of 60 results and with
# none (`history(0)`), three runs each, interleaved. Prints each run's
# VmRSS after the runs and the median difference per check.
#
# Environment: CHECKS (default 1000), ROUNDS (default 70), HISTORY
# (default 60). About 10 s after the first release build.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKS=${CHECKS:-1000}
ROUNDS=${ROUNDS:-70}
HISTORY=${HISTORY:-60}
cargo build --release --quiet -p health-examples --no-default-features --bin history-rss
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/history-rss"
with=() without=()
for _ in 1 2 3; do
    for n in "$HISTORY" 0; do
        line=$("$BIN" "$n" "$CHECKS" "$ROUNDS")
        echo "$line"
        rss=${line##*after_runs=}
        if [[ $n == 0 ]]; then without+=("$rss"); else with+=("$rss"); fi
    done
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
w=$(median "${with[@]}") wo=$(median "${without[@]}")
echo "median RSS after the runs: history=$HISTORY ${w} KiB, history=0 ${wo} KiB;" \
    "difference $((w - wo)) KiB, $(((w - wo) * 1024 / CHECKS)) bytes per check"
