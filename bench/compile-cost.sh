#!/usr/bin/env bash
# Compile cost of one declared check: what `#[health_check]` adds to the
# build of the crate that uses it.
#
# Two throwaway binary crates are generated in a temporary directory (one
# cargo workspace, one target dir; removed at exit unless --keep), both
# depending on this repository's `health` by path, no features:
#   checks-200   200 functions under #[health_check], mixed: async with a
#                `&T` state parameter, blocking (plain fn), with no key or
#                with several (timeout, tags, cache, interval, probes,
#                critical, failure_threshold, name)
#   checks-0     the same 200 functions without the attribute
# so the difference is the attribute's cost: expansion, type checking and
# code generation of the registration, not the functions' own bodies. The
# `main` of both builds a registry, so both link the same runtime.
#
# Dependencies are built once, untimed. Then, for each profile (debug,
# release), alternating pairs (checks-0, checks-200, checks-0, ...): each
# build is `cargo clean -p <crate>` followed by a timed `cargo build -p
# <crate>`, so only that crate is compiled (and the binary linked). The
# cost per check of a pair is (t(200) - t(0)) / 200, in wall time and in
# CPU time (user + sys of cargo, rustc and the linker: steadier than wall
# time on a loaded machine); the script prints every build's times, the
# medians of each crate, and the median of the per-pair costs, in ms.
#
# Builds run with CARGO_INCREMENTAL=0 unless --incremental is given (a
# crate compiled from scratch gains nothing from the incremental cache, and
# CI runs without it).
#
# With --instructions, each crate is also built once more per profile with
# rustc under valgrind's cachegrind: the instructions rustc executes
# (proc macro included, linker not) do not depend on the machine's load,
# so two versions of the macro compare to a fraction of a percent where
# wall times vary by tens of percent. It needs valgrind, and takes about a
# minute per build.
#
# Usage: bench/compile-cost.sh [options] [REPO]
#   REPO            the health repository (default: this script's repo)
#   -n, --pairs N   alternating pairs per profile (default 3)
#   --checks N      checks in the larger crate (default 200)
#   --profiles P    "debug", "release" or "debug release" (the default)
#   --incremental   keep cargo's default incremental setting
#   --instructions  also count rustc's instructions (valgrind)
#   --keep          keep the generated crates and their target dir
#   -h, --help      this text
#
# Machines are noisy: quote the medians, and say how loaded the machine
# was (the load average is printed before and after).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
PAIRS=3
CHECKS=200
PROFILES="debug release"
INCREMENTAL=0
INSTRUCTIONS=0
KEEP=0

usage() {
    sed -n '/^# Usage:/,/^#   -h/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($#)); do
    case $1 in
        -n | --pairs)
            PAIRS=${2:?--pairs needs a number}
            shift 2
            ;;
        --checks)
            CHECKS=${2:?--checks needs a number}
            shift 2
            ;;
        --profiles)
            PROFILES=${2:?--profiles needs "debug", "release" or both}
            shift 2
            ;;
        --incremental)
            INCREMENTAL=1
            shift
            ;;
        --instructions)
            INSTRUCTIONS=1
            shift
            ;;
        --keep)
            KEEP=1
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        -*)
            echo "unknown option $1" >&2
            usage >&2
            exit 2
            ;;
        *)
            REPO=$(cd "$1" && pwd)
            shift
            ;;
    esac
done

if ! [[ $PAIRS =~ ^[1-9][0-9]*$ && $CHECKS =~ ^[1-9][0-9]*$ ]]; then
    echo "--pairs and --checks take a positive whole number" >&2
    exit 2
fi
for profile in $PROFILES; do
    if [[ $profile != debug && $profile != release ]]; then
        echo "unknown profile $profile: expected debug or release" >&2
        exit 2
    fi
done
if ((INSTRUCTIONS)) && ! command -v valgrind >/dev/null; then
    echo "--instructions needs valgrind (apt-get install valgrind)" >&2
    exit 2
fi
if [[ ! -f $REPO/Cargo.toml ]] || ! grep -q '^name = "health"' "$REPO/Cargo.toml"; then
    echo "$REPO is not the health repository" >&2
    exit 2
fi

WORK=$(mktemp -d /tmp/health-compile-cost.XXXXXX)
cleanup() {
    if ((KEEP)); then
        echo "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

# The workspace's pinned toolchain, not the one of the temporary directory.
if [[ -f $REPO/rust-toolchain.toml ]]; then
    cp "$REPO/rust-toolchain.toml" "$WORK/"
fi
cat >"$WORK/Cargo.toml" <<EOF
[workspace]
members = ["checks-0", "checks-200"]
resolver = "3"

[workspace.dependencies]
health = { path = "$REPO" }
EOF

# The functions, with (`attr`) or without (`plain`) the attribute. Four
# kinds in turn: async with a state parameter and several keys; blocking
# with an interval; async with no parameter nor key; blocking with a state
# parameter, a name and several keys.
generate() {
    local crate=$1 attr=$2 dir="$WORK/$1"
    mkdir -p "$dir/src"
    cat >"$dir/Cargo.toml" <<EOF
[package]
name = "$crate"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
health.workspace = true
EOF
    {
        echo "//! Generated by bench/compile-cost.sh."
        echo "#![allow(dead_code, clippy::unused_async)]"
        echo
        echo "pub struct Pool(pub u64);"
        echo "pub struct Config(pub &'static str);"
        echo
        local i a
        for ((i = 0; i < CHECKS; i++)); do
            a=""
            case $((i % 4)) in
                0)
                    [[ $attr == attr ]] && a="#[health::health_check(timeout = \"200ms\", tags = [\"db\", \"k$i\"], cache = \"5s\", failure_threshold = 3)]"
                    printf '%s\nasync fn check_%d(pool: &Pool) -> Result<(), std::io::Error> {\n    if pool.0 == %d { Err(std::io::Error::other("down")) } else { Ok(()) }\n}\n\n' "$a" "$i" "$i"
                    ;;
                1)
                    [[ $attr == attr ]] && a="#[health::health_check(interval = \"30s\", timeout = \"2s\")]"
                    printf '%s\nfn check_%d() -> bool {\n    std::hint::black_box(%d) != 0\n}\n\n' "$a" "$i" "$i"
                    ;;
                2)
                    [[ $attr == attr ]] && a="#[health::health_check]"
                    printf '%s\nasync fn check_%d() {}\n\n' "$a" "$i"
                    ;;
                3)
                    [[ $attr == attr ]] && a="#[health::health_check(name = \"config-$i\", critical = false, probes = [\"liveness\", \"startup\"], cache = \"1s\", cache_failure = \"100ms\")]"
                    printf '%s\nfn check_%d(config: &Config) -> Result<bool, String> {\n    Ok(config.0.len() > %d)\n}\n\n' "$a" "$i" "$i"
                    ;;
            esac
        done
        # Both crates link the same runtime: only the checks differ.
        echo "fn main() {"
        echo "    let registry = health::Registry::builder().state(Pool(1)).state(Config(\"x\")).build();"
        echo "    std::hint::black_box(registry.is_ok());"
        echo "}"
    } >"$dir/src/main.rs"
}
generate checks-0 plain
generate checks-200 attr

cd "$WORK"
export CARGO_TARGET_DIR="$WORK/target"
export CARGO_TERM_COLOR=never
if ((INCREMENTAL)); then
    unset CARGO_INCREMENTAL
else
    export CARGO_INCREMENTAL=0
fi

flag() { [[ $1 == release ]] && echo --release || true; }

echo "== $CHECKS checks, $PAIRS pairs, profiles: $PROFILES, incremental: $INCREMENTAL"
echo "== $(rustc --version)"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== building dependencies (untimed)"
for profile in $PROFILES; do
    cargo build --quiet $(flag "$profile") -p checks-0 -p checks-200
done

# A cold build of crate $2 in profile $1: prints "wall cpu" in ms. Bash's
# `time` counts user + sys of every child it waited for, so rustc and the
# linker are included.
build_ms() {
    local profile=$1 crate=$2 t
    cargo clean --quiet $(flag "$profile") -p "$crate"
    local TIMEFORMAT='%R %U %S'
    t=$({ time cargo build --quiet $(flag "$profile") -p "$crate" >/dev/null 2>&1; } 2>&1)
    awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"$t"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
per_check() { awk -v a="$1" -v b="$2" -v n="$CHECKS" 'BEGIN { printf "%.2f", (b - a) / n }'; }

for profile in $PROFILES; do
    walls0=() walls1=() wall_costs=() cpus0=() cpus1=() cpu_costs=()
    for ((pair = 1; pair <= PAIRS; pair++)); do
        read -r w0 c0 <<<"$(build_ms "$profile" checks-0)"
        read -r w1 c1 <<<"$(build_ms "$profile" checks-200)"
        walls0+=("$w0") walls1+=("$w1") wall_costs+=("$(per_check "$w0" "$w1")")
        cpus0+=("$c0") cpus1+=("$c1") cpu_costs+=("$(per_check "$c0" "$c1")")
        echo "$profile pair $pair: 0 checks ${w0} ms wall ${c0} ms cpu, $CHECKS checks ${w1} ms wall ${c1} ms cpu; per check ${wall_costs[-1]} ms wall, ${cpu_costs[-1]} ms cpu"
    done
    for what in wall cpu; do
        declare -n zeros="${what}s0" fulls="${what}s1" costs="${what}_costs"
        echo "$profile $what medians: 0 checks $(printf '%s\n' "${zeros[@]}" | median) ms, $CHECKS checks $(printf '%s\n' "${fulls[@]}" | median) ms; per check $(printf '%s\n' "${costs[@]}" | median) ms (median of the pairs)"
        unset -n zeros fulls costs
    done
done
if ((INSTRUCTIONS)); then
    # A rustc wrapper for every build of this section, so that cargo's
    # fingerprints stay the same between them: it runs the two measured
    # crates under cachegrind and everything else as is.
    cat >"$WORK/count.sh" <<'EOF'
#!/usr/bin/env bash
rustc=$1
shift
case " $* " in
    *" --crate-name checks_"*)
        exec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
            --log-file="$COUNT_LOG" "$rustc" "$@"
        ;;
    *) exec "$rustc" "$@" ;;
esac
EOF
    chmod +x "$WORK/count.sh"
    export RUSTC_WRAPPER="$WORK/count.sh" COUNT_LOG="$WORK/count.log"
    # Instructions of rustc for a cold build of crate $2 in profile $1.
    count() {
        cargo clean --quiet $(flag "$1") -p "$2"
        rm -f "$COUNT_LOG"
        cargo build --quiet $(flag "$1") -p "$2" >/dev/null 2>&1
        awk '/I +refs/ { gsub(",", "", $4); print $4 }' "$COUNT_LOG"
    }
    for profile in $PROFILES; do
        cargo build --quiet $(flag "$profile") -p checks-0 -p checks-200
        i0=$(count "$profile" checks-0)
        i1=$(count "$profile" checks-200)
        echo "$profile instructions: 0 checks $((i0 / 1000000)) M, $CHECKS checks $((i1 / 1000000)) M; per check $(awk -v a="$i0" -v b="$i1" -v n="$CHECKS" 'BEGIN { printf "%.2f", (b - a) / n / 1e6 }') M"
    done
    unset RUSTC_WRAPPER COUNT_LOG
fi
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
