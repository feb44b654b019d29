#!/usr/bin/env bash
# Compile cost of the two link-time registration crates health could use,
# in isolation: linkme 0.3 (#[distributed_slice]) versus inventory 0.3
# (inventory::submit!).
#
# Five throwaway binaries are generated in a temporary directory (removed
# at exit unless --keep), each with its own Cargo.lock and target dir:
#   empty          no dependency, an empty main: the cost of a crate at all
#   linkme-0       linkme, one slice declared, nothing registered
#   linkme-COUNT   the same, COUNT statics registered
#   inventory-0    inventory, one collect!, nothing submitted
#   inventory-COUNT the same, COUNT submit!s
# The registered item is a small struct (name, value, fn pointer), like a
# check descriptor; main counts the registrations, so they are linked and
# used. Sources are generated with a loop.
#
# Reported for each crate:
#   - crate count: unique names in `cargo tree -e normal`, the crate itself
#     left out; which syn each pulls (`cargo tree -i syn`);
#   - cold debug build (target dir removed first), wall and CPU (user + sys
#     of cargo and its children), in alternating rounds (every crate once
#     per round), medians;
#   - per-registration cost, ((with COUNT) - (with 0)) / COUNT in ms, from
#     the cold medians and, far less noisy, from leaf rebuilds: the
#     dependencies stay built and only the crate itself is recompiled and
#     linked (`cargo clean -p`), in alternating rounds too.
# Builds run with CARGO_INCREMENTAL=0 (the leaf rebuild must not reuse
# anything) and --frozen after an untimed `cargo fetch`.
#
# Usage: bench/weight/registration.sh [options]
#   -n, --rounds N  rounds of cold builds (default 3)
#   --leaf-rounds N rounds of leaf rebuilds (default 5)
#   --count N       registrations in the full crates (default 200)
#   --linkme VER    linkme requirement (default "0.3")
#   --inventory VER inventory requirement (default "0.3")
#   --out DIR       where results go (default: a new /tmp/health-registration-out.*)
#   --keep          keep the temporary crates and target dirs
#   -h, --help      this text
#
# Machines are noisy: quote medians, and say how loaded the machine was
# (the load average is printed before and after).
set -euo pipefail

ROUNDS=3
LEAF_ROUNDS=5
COUNT=200
LINKME=0.3
INVENTORY=0.3
OUT=""
KEEP=0

usage() {
    sed -n '/^# Usage:/,/^#   -h/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($#)); do
    case $1 in
        -n | --rounds)
            ROUNDS=${2:?--rounds needs a number}
            shift 2
            ;;
        --leaf-rounds)
            LEAF_ROUNDS=${2:?--leaf-rounds needs a number}
            shift 2
            ;;
        --count)
            COUNT=${2:?--count needs a number}
            shift 2
            ;;
        --linkme)
            LINKME=${2:?--linkme needs a version requirement}
            shift 2
            ;;
        --inventory)
            INVENTORY=${2:?--inventory needs a version requirement}
            shift 2
            ;;
        --out)
            OUT=${2:?--out needs a directory}
            shift 2
            ;;
        --keep)
            KEEP=1
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "unknown argument: $1" >&2
            usage >&2
            exit 2
            ;;
    esac
done

for n in ROUNDS LEAF_ROUNDS COUNT; do
    if ! [[ ${!n} =~ ^[0-9]+$ ]] || ((${!n} < 1)); then
        echo "$n must be a whole number, at least 1" >&2
        exit 2
    fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/health-registration.XXXXXX")
if [[ -z $OUT ]]; then
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/health-registration-out.XXXXXX")
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

cleanup() {
    if ((KEEP)); then
        echo "kept the crates and target dirs in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

export CARGO_INCREMENTAL=0
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER CARGO_TARGET_DIR

# ---------------------------------------------------------------------------
# The crates.

CRATES=(empty linkme-0 "linkme-$COUNT" inventory-0 "inventory-$COUNT")

# new_crate NAME [DEPENDENCY_LINE]: manifest and src/ of a binary crate.
new_crate() {
    local dir=$WORK/$1
    mkdir -p "$dir/src"
    {
        printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n[dependencies]\n' "$1"
        if (($# > 1)); then
            echo "$2"
        fi
        printf '\n[workspace]\n'
    } >"$dir/Cargo.toml"
}

# The registered item, shared by both libraries.
ENTRY_RS='/// One registration: a small descriptor, like a declared check.
#[allow(dead_code)]
pub struct Entry {
    pub name: &'"'"'static str,
    pub value: u32,
    pub run: fn() -> bool,
}

#[allow(dead_code)]
fn ok() -> bool {
    true
}'

new_crate empty
echo 'fn main() {}' >"$WORK/empty/src/main.rs"

# linkme_source N: a slice with N elements.
linkme_source() {
    local i
    echo "$ENTRY_RS"
    printf '\n#[linkme::distributed_slice]\npub static ENTRIES: [Entry];\n'
    for ((i = 0; i < $1; i++)); do
        printf '\n#[linkme::distributed_slice(ENTRIES)]\nstatic E%d: Entry = Entry { name: "e%d", value: %d, run: ok };\n' "$i" "$i" "$i"
    done
    printf '\nfn main() {\n    let ok = ENTRIES.iter().filter(|e| (e.run)()).count();\n    println!("{} {ok}", ENTRIES.len());\n}\n'
}

# inventory_source N: N submissions.
inventory_source() {
    local i
    echo "$ENTRY_RS"
    printf '\ninventory::collect!(Entry);\n'
    for ((i = 0; i < $1; i++)); do
        printf '\ninventory::submit! { Entry { name: "e%d", value: %d, run: ok } }\n' "$i" "$i"
    done
    printf '\nfn main() {\n    let all: Vec<&Entry> = inventory::iter::<Entry>.into_iter().collect();\n'
    printf '    let ok = all.iter().filter(|e| (e.run)()).count();\n    println!("{} {ok}", all.len());\n}\n'
}

for n in 0 "$COUNT"; do
    new_crate "linkme-$n" "linkme = \"$LINKME\""
    linkme_source "$n" >"$WORK/linkme-$n/src/main.rs"
    new_crate "inventory-$n" "inventory = \"$INVENTORY\""
    inventory_source "$n" >"$WORK/inventory-$n/src/main.rs"
done

# cargo_in CRATE ARGS...: cargo in CRATE's directory with its own target dir.
cargo_in() {
    local crate=$1
    shift
    (cd "$WORK/$crate" && CARGO_TARGET_DIR="$WORK/target-$crate" cargo "$@")
}

echo "== resolving and fetching (not timed)"
for crate in "${CRATES[@]}"; do
    cargo_in "$crate" fetch --quiet
done

# ---------------------------------------------------------------------------
# Crate counts and syn.

# syn_of CRATE: the syn versions in CRATE's normal tree with their direct
# dependents ("none" when there is no syn).
syn_of() {
    local versions v users out=""
    versions=$(cargo_in "$1" tree --frozen -e normal --prefix none |
        awk '$1 == "syn" { print $2 }' | sort -u)
    if [[ -z $versions ]]; then
        echo none
        return
    fi
    for v in $versions; do
        users=$(cargo_in "$1" tree --frozen -e normal --prefix none --depth 1 \
            -i "syn@${v#v}" | awk 'NR > 1 { print $1 }' | sort -u | paste -sd ' ')
        out+="${out:+; }syn $v (for $users)"
    done
    echo "$out"
}

declare -A CRATE_COUNT SYN
echo
echo "== crates (unique names, cargo tree -e normal, the crate itself left out)"
for crate in "${CRATES[@]}"; do
    cargo_in "$crate" tree --frozen -e normal --prefix none |
        awk -v self="$crate" 'NF && $1 != self { print $1 }' | sort -u >"$OUT/crates-$crate.txt"
    CRATE_COUNT[$crate]=$(wc -l <"$OUT/crates-$crate.txt" | tr -d ' ')
    SYN[$crate]=$(syn_of "$crate")
    printf '   %-15s %2d  %s\n' "$crate" "${CRATE_COUNT[$crate]}" "$(paste -sd ' ' "$OUT/crates-$crate.txt")"
done
echo "   syn:"
for crate in "linkme-$COUNT" "inventory-$COUNT"; do
    printf '   %-15s %s\n' "$crate" "${SYN[$crate]}"
done
VERSIONS=$(cat "$WORK"/*/Cargo.lock | awk '/^name = / { gsub(/"/, "", $3); n = $3 }
    /^version = / { gsub(/"/, "", $3); if (n == "linkme" || n == "inventory") print n, $3 }' | sort -u | paste -sd ',' | sed 's/,/, /g')
echo "   resolved: $VERSIONS"

# ---------------------------------------------------------------------------
# Timed builds.

# timed DIR_CRATE ARGS...: run cargo ARGS in the crate, print "wall cpu".
timed() {
    local crate=$1 log=$OUT/build-$1.log t
    shift
    local TIMEFORMAT='%R %U %S'
    if ! t=$({ time cargo_in "$crate" "$@" >"$log" 2>&1; } 2>&1); then
        echo "cargo $* of $crate failed; last lines of $log:" >&2
        tail -n 30 "$log" >&2
        return 1
    fi
    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' <<<"$t"
}

# cold CRATE: remove the target dir, build.
cold() {
    rm -rf "$WORK/target-$1"
    timed "$1" build --frozen
}

# leaf CRATE: dependencies already built; recompile and link the crate only.
leaf() {
    cargo_in "$1" clean --frozen --quiet -p "$1"
    timed "$1" build --frozen
}

RESULTS=$OUT/builds.tsv
printf 'kind\tround\tcrate\twall_s\tcpu_s\n' >"$RESULTS"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "== cold debug builds: $ROUNDS rounds, $(nproc) cores, load average $LOAD_BEFORE"
# Untimed warm-up: page cache, and proof that every crate compiles.
for crate in "${CRATES[@]}"; do
    cold "$crate" >/dev/null
done
for ((round = 1; round <= ROUNDS; round++)); do
    for crate in "${CRATES[@]}"; do
        result=$(cold "$crate")
        read -r wall cpu <<<"$result"
        printf 'cold\t%d\t%s\t%s\t%s\n' "$round" "$crate" "$wall" "$cpu" >>"$RESULTS"
        printf '   round %d  %-15s  wall %7.2f s  cpu %7.2f s\n' "$round" "$crate" "$wall" "$cpu"
    done
done

echo
echo "== leaf rebuilds (dependencies built): $LEAF_ROUNDS rounds"
LEAF_CRATES=(linkme-0 "linkme-$COUNT" inventory-0 "inventory-$COUNT")
for crate in "${LEAF_CRATES[@]}"; do
    # The cold builds left every target dir complete; this untimed build
    # only makes sure of it.
    cargo_in "$crate" build --frozen >>"$OUT/build-$crate.log" 2>&1
done
for ((round = 1; round <= LEAF_ROUNDS; round++)); do
    line="   round $round"
    for crate in "${LEAF_CRATES[@]}"; do
        result=$(leaf "$crate")
        read -r wall cpu <<<"$result"
        printf 'leaf\t%d\t%s\t%s\t%s\n' "$round" "$crate" "$wall" "$cpu" >>"$RESULTS"
        line+=$(printf '  %s %.2f/%.2f s' "$crate" "$wall" "$cpu")
    done
    echo "$line  (wall/cpu)"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
echo "   load average after: $LOAD_AFTER"

# ---------------------------------------------------------------------------
# Summary.

# med KIND CRATE FIELD: median of one field (4 = wall, 5 = cpu).
med() {
    awk -F'\t' -v k="$1" -v c="$2" -v f="$3" '$1 == k && $3 == c { print $f }' "$RESULTS" |
        sort -g | awk '{ v[NR] = $1 }
            END { if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]
                  else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# per_reg A B: (A - B) / COUNT in ms.
per_reg() { awk -v a="$1" -v b="$2" -v n="$COUNT" 'BEGIN { printf "%.2f\n", (a - b) * 1000 / n }'; }
s2() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }

{
    echo "### Registration crates: linkme vs inventory ($COUNT registrations)"
    echo
    echo "$(rustc --version); $(nproc) cores; load average $LOAD_BEFORE before, $LOAD_AFTER after;" \
        "$ROUNDS rounds of cold debug builds, $LEAF_ROUNDS of leaf rebuilds; CARGO_INCREMENTAL=0. Resolved: $VERSIONS."
    echo
    echo "| crate | crates (normal) | syn | cold CPU, median (s) | cold wall, median (s) | leaf CPU, median (s) | leaf wall, median (s) |"
    echo "| --- | ---: | --- | ---: | ---: | ---: | ---: |"
    for crate in "${CRATES[@]}"; do
        if [[ $crate == empty ]]; then
            leaf_cpu="" leaf_wall=""
        else
            leaf_cpu=$(s2 "$(med leaf "$crate" 5)") leaf_wall=$(s2 "$(med leaf "$crate" 4)")
        fi
        echo "| $crate | ${CRATE_COUNT[$crate]} | ${SYN[$crate]} | $(s2 "$(med cold "$crate" 5)") |" \
            "$(s2 "$(med cold "$crate" 4)") | $leaf_cpu | $leaf_wall |"
    done
    echo
    echo "| per registration, ((with $COUNT) - (with 0)) / $COUNT | cold CPU (ms) | cold wall (ms) | leaf CPU (ms) | leaf wall (ms) |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for lib in linkme inventory; do
        echo "| $lib |" \
            "$(per_reg "$(med cold "$lib-$COUNT" 5)" "$(med cold "$lib-0" 5)") |" \
            "$(per_reg "$(med cold "$lib-$COUNT" 4)" "$(med cold "$lib-0" 4)") |" \
            "$(per_reg "$(med leaf "$lib-$COUNT" 5)" "$(med leaf "$lib-0" 5)") |" \
            "$(per_reg "$(med leaf "$lib-$COUNT" 4)" "$(med leaf "$lib-0" 4)") |"
    done
    echo
    echo "Cold per-registration figures subtract two noisy totals; the leaf ones time only the crate itself."
} >"$OUT/summary.md"

echo
cat "$OUT/summary.md"
echo
echo "raw results (builds.tsv, crate lists, build logs) in $OUT"
