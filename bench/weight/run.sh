#!/usr/bin/env bash
# Weight of `health = { features = ["axum"] }` for an application that
# already has axum, tokio and serde.
#
# Two throwaway apps are generated in a temporary directory (removed at
# exit unless --keep):
#   base         axum 0.8 (default features), tokio 1 (macros,
#                rt-multi-thread, net), serde 1 (derive); one route
#                answering a serde-derived JSON struct.
#   with-health  the same, plus `health = { path = REPO, features =
#                ["axum"] }`, two #[health_check] functions and
#                `.merge(health::axum::routes(endpoints))`.
#
# It reports:
#   1. crate counts: unique crate names (versions ignored, the app itself
#      left out) in `cargo tree -e normal --prefix none`, and the names
#      with-health adds; the same for normal + build dependencies as a
#      second figure;
#   2. cold debug `cargo build` of each app, in alternating pairs (base,
#      with-health, base, with-health, ...), the target dir removed before
#      every build: medians of wall and CPU (user + sys of cargo and every
#      rustc / build script it waited for) and the medians of the per-pair
#      ratios with-health / base;
#   3. with --timings, a `cargo build --timings` report of with-health.
#
# Same versions in both apps: with-health's Cargo.lock is generated first
# and copied into base, whose resolution then keeps every locked version
# it needs and drops the rest. The script then checks that every package
# base locks is locked at the same version in with-health, and fails
# otherwise (with-health may lock more, e.g. a second major of a crate).
# Downloads happen in `cargo fetch` before any timing; the timed builds run
# with --frozen (locked, offline).
#
# Cold builds run with CARGO_INCREMENTAL=0 unless --incremental is given:
# a path dependency is compiled incrementally in debug, which the same
# crates coming from crates.io are not, so turning it off for both apps is
# closer to what an application depending on the published crate pays.
#
# Usage: bench/weight/run.sh [options] [REPO]
#   REPO            the health repository (default: this script's repo)
#   -n, --pairs N   alternating pairs of cold builds (default 3)
#   --timings       also run `cargo build --timings` on with-health
#   --incremental   keep cargo's default incremental setting
#   --no-warmup     skip the untimed warm-up build of with-health
#   --out DIR       where results go (default: a new /tmp/health-weight-out.*)
#   --keep          keep the temporary apps and target dirs
#   -h, --help      this text
#
# Machines are noisy: quote the medians and the median ratios, and say how
# loaded the machine was (the load average is printed before and after).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
PAIRS=3
TIMINGS=0
INCREMENTAL=0
WARMUP=1
KEEP=0
OUT=""

usage() {
    sed -n '/^# Usage:/,/^#   -h/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while (($#)); do
    case $1 in
        -n | --pairs)
            PAIRS=${2:?--pairs needs a number}
            shift 2
            ;;
        --pairs=*)
            PAIRS=${1#*=}
            shift
            ;;
        --timings)
            TIMINGS=1
            shift
            ;;
        --incremental)
            INCREMENTAL=1
            shift
            ;;
        --no-warmup)
            WARMUP=0
            shift
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
        -*)
            echo "unknown option: $1" >&2
            usage >&2
            exit 2
            ;;
        *)
            REPO=$(cd "$1" && pwd)
            shift
            ;;
    esac
done

if ! [[ $PAIRS =~ ^[0-9]+$ ]] || ((PAIRS < 1)); then
    echo "--pairs must be a whole number, at least 1" >&2
    exit 2
fi
if [[ ! -f $REPO/Cargo.toml ]] || ! grep -q '^name = "health"$' "$REPO/Cargo.toml"; then
    echo "$REPO does not look like the health repository (no package \"health\")" >&2
    exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/health-weight.XXXXXX")
if [[ -z $OUT ]]; then
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/health-weight-out.XXXXXX")
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

cleanup() {
    if ((KEEP)); then
        echo "kept the apps and target dirs in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

if ((INCREMENTAL)); then
    unset CARGO_INCREMENTAL
else
    export CARGO_INCREMENTAL=0
fi
# Nothing from the caller's environment may change what is built.
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS RUSTC_WRAPPER CARGO_BUILD_RUSTC_WRAPPER CARGO_TARGET_DIR

# ---------------------------------------------------------------------------
# The two apps.

# write_manifest NAME [EXTRA_DEPENDENCY_LINE]
write_manifest() {
    local dir=$WORK/$1
    mkdir -p "$dir/src"
    {
        cat <<EOF
[package]
name = "$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
axum = "0.8"
tokio = { version = "1", features = ["macros", "rt-multi-thread", "net"] }
serde = { version = "1", features = ["derive"] }
EOF
        if (($# > 1)); then
            echo "$2"
        fi
        # An empty workspace: the app is never part of an enclosing one.
        printf '\n[workspace]\n'
    } >"$dir/Cargo.toml"
}

# The code both apps share: a serde-derived struct served and accepted as
# JSON, so serde_derive really expands and Serialize/Deserialize are
# monomorphised through axum's Json.
COMMON_RS='#[derive(Debug, Clone, Serialize, Deserialize)]
struct Greeting {
    message: String,
    count: u32,
    tags: Vec<String>,
}

async fn hello() -> Json<Greeting> {
    Json(Greeting { message: "hello".to_owned(), count: 1, tags: vec!["a".to_owned()] })
}

async fn echo(Json(greeting): Json<Greeting>) -> Json<Greeting> {
    Json(greeting)
}'

write_manifest base
cat >"$WORK/base/src/main.rs" <<EOF
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

$COMMON_RS

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = Router::new().route("/", get(hello)).route("/echo", post(echo));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
EOF

write_manifest with-health "health = { path = \"$REPO\", features = [\"axum\"] }"
cat >"$WORK/with-health/src/main.rs" <<EOF
use axum::routing::{get, post};
use axum::{Json, Router};
use health::{Registry, health_check};
use serde::{Deserialize, Serialize};

$COMMON_RS

#[health_check(timeout = "200ms")]
async fn db() -> Result<(), std::io::Error> {
    Ok(())
}

#[health_check(probe = "liveness")]
fn event_loop() -> bool {
    true
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registry = Registry::builder().build()?;
    let endpoints = health::http::Endpoints::new(registry)?;
    let app = Router::new()
        .route("/", get(hello))
        .route("/echo", post(echo))
        .merge(health::axum::routes(endpoints));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
EOF

APPS=(base with-health)

# cargo_in APP ARGS...: cargo in APP's directory with APP's own target dir.
cargo_in() {
    local app=$1
    shift
    (cd "$WORK/$app" && CARGO_TARGET_DIR="$WORK/target-$app" cargo "$@")
}

echo "== resolving and fetching (not timed)"
cargo_in with-health generate-lockfile --quiet
cp "$WORK/with-health/Cargo.lock" "$WORK/base/Cargo.lock"
for app in "${APPS[@]}"; do
    # fetch rewrites base's copied lockfile: unused entries go, locked
    # versions stay.
    cargo_in "$app" fetch --quiet
done

# locked_versions APP: "name version" of every registry package in the lock.
locked_versions() {
    awk '/^\[\[package\]\]/ { name = ""; version = "" }
         /^name = /    { gsub(/"/, "", $3); name = $3 }
         /^version = / { gsub(/"/, "", $3); version = $3 }
         /^source = "registry/ { print name, version }' "$WORK/$1/Cargo.lock" | sort -u
}
locked_versions base >"$OUT/versions-base.txt"
locked_versions with-health >"$OUT/versions-with-health.txt"
# Every registry package of base must be locked, at the same version, in
# with-health too (with-health may add further versions, e.g. a second
# syn major: that is part of its weight).
mismatch=$(comm -23 "$OUT/versions-base.txt" "$OUT/versions-with-health.txt")
if [[ -n $mismatch ]]; then
    echo "base resolved packages that with-health did not lock at the same version:" >&2
    echo "$mismatch" >&2
    exit 1
fi
pick() { awk -v n="$1" '$1 == n { printf "%s%s", sep, $2; sep = "," }' "$OUT/versions-with-health.txt"; }
echo "   same versions in both apps: axum $(pick axum), tokio $(pick tokio), serde $(pick serde)"

# ---------------------------------------------------------------------------
# 1. Crate counts.

# crate_names APP EDGES: unique crate names of the app's tree, app left out.
crate_names() {
    cargo_in "$1" tree --frozen -e "$2" --prefix none |
        awk -v self="$1" 'NF && $1 != self { print $1 }' | sort -u
}
# packages APP: unique "name version" of the app's normal tree.
packages() {
    cargo_in "$1" tree --frozen -e normal --prefix none |
        awk -v self="$1" 'NF && $1 != self { print $1, $2 }' | sort -u
}
for app in "${APPS[@]}"; do
    packages "$app" >"$OUT/packages-$app.txt"
    crate_names "$app" normal >"$OUT/crates-$app.txt"
    crate_names "$app" normal,build >"$OUT/crates-build-$app.txt"
done
comm -13 "$OUT/crates-base.txt" "$OUT/crates-with-health.txt" >"$OUT/crates-added.txt"
# Second versions of crates base already has (a name count hides them).
comm -13 "$OUT/packages-base.txt" "$OUT/packages-with-health.txt" |
    awk 'NR == FNR { base[$1] = 1; next } $1 in base' "$OUT/crates-base.txt" - >"$OUT/versions-added.txt"
comm -13 "$OUT/crates-build-base.txt" "$OUT/crates-build-with-health.txt" >"$OUT/crates-build-added.txt"

count() { wc -l <"$1" | tr -d ' '; }
N_BASE=$(count "$OUT/crates-base.txt")
N_WITH=$(count "$OUT/crates-with-health.txt")
N_ADDED=$(count "$OUT/crates-added.txt")
NB_BASE=$(count "$OUT/crates-build-base.txt")
NB_WITH=$(count "$OUT/crates-build-with-health.txt")
NB_ADDED=$(count "$OUT/crates-build-added.txt")

echo
echo "== crates (unique names, cargo tree -e normal)"
echo "   base:        $N_BASE"
echo "   with-health: $N_WITH (+$N_ADDED)"
echo "   added:       $(paste -sd ' ' "$OUT/crates-added.txt")"
# Each second version, with the crates that depend on it directly.
while read -r name version; do
    users=$(cargo_in with-health tree --frozen -e normal --prefix none --depth 1 \
        -i "$name@${version#v}" | awk 'NR > 1 { print $1 }' | sort -u | paste -sd ' ')
    echo "   also a second version: $name $version, for $users"
    echo "$name $version: $users" >>"$OUT/versions-added-users.txt"
done <"$OUT/versions-added.txt"
echo "   with build dependencies (-e normal,build): $NB_BASE vs $NB_WITH (+$NB_ADDED)"
if ! cmp -s "$OUT/crates-added.txt" "$OUT/crates-build-added.txt"; then
    echo "   added there: $(paste -sd ' ' "$OUT/crates-build-added.txt")"
fi

# ---------------------------------------------------------------------------
# 2. Cold builds in alternating pairs.

# cold_build APP: remove APP's target dir, build it, print "wall cpu" in
# seconds. Bash's `time` counts user + sys of every child it waited for,
# so rustc and build scripts are included.
cold_build() {
    local app=$1 log=$OUT/build-$1.log t
    rm -rf "$WORK/target-$app"
    local TIMEFORMAT='%R %U %S'
    if ! t=$({ time cargo_in "$app" build --frozen >"$log" 2>&1; } 2>&1); then
        echo "cargo build of $app failed; last lines of $log:" >&2
        tail -n 30 "$log" >&2
        return 1
    fi
    awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' <<<"$t"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "== cold debug builds: $PAIRS alternating pairs, $(nproc) cores, load average $LOAD_BEFORE"
if ((WARMUP)); then
    # Untimed: checks with-health compiles and warms the page cache with
    # every source either app reads (with-health's are a superset).
    echo "   warm-up build of with-health (not timed)"
    cold_build with-health >/dev/null
fi

RESULTS=$OUT/builds.tsv
printf 'pair\tapp\twall_s\tcpu_s\n' >"$RESULTS"
for ((pair = 1; pair <= PAIRS; pair++)); do
    for app in "${APPS[@]}"; do
        result=$(cold_build "$app")
        read -r wall cpu <<<"$result"
        printf '%d\t%s\t%s\t%s\n' "$pair" "$app" "$wall" "$cpu" >>"$RESULTS"
        printf '   pair %d  %-11s  wall %7.2f s  cpu %7.2f s\n' "$pair" "$app" "$wall" "$cpu"
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
echo "   load average after: $LOAD_AFTER"

# median: of the numbers on standard input, one a line.
median() {
    sort -g | awk '{ v[NR] = $1 }
        END { if (NR == 0) exit 1
              if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]
              else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# column APP FIELD: one field (3 = wall, 4 = cpu) of APP's builds.
column() { awk -F'\t' -v app="$1" -v f="$2" 'NR > 1 && $2 == app { print $f }' "$RESULTS"; }
# ratios FIELD: with-health / base of each pair.
ratios() {
    awk -F'\t' -v f="$1" 'NR > 1 { v[$1, $2] = $f; pairs[$1] = 1 }
        END { for (p in pairs) if (v[p, "base"] > 0) printf "%.3f\n", v[p, "with-health"] / v[p, "base"] }' "$RESULTS"
}

WALL_BASE=$(column base 3 | median)
CPU_BASE=$(column base 4 | median)
WALL_WITH=$(column with-health 3 | median)
CPU_WITH=$(column with-health 4 | median)
WALL_RATIO=$(ratios 3 | median)
CPU_RATIO=$(ratios 4 | median)

# ---------------------------------------------------------------------------
# 3. Optional --timings report.

TIMINGS_NOTE=""
if ((TIMINGS)); then
    echo
    echo "== cargo build --timings of with-health"
    rm -rf "$WORK/target-with-health"
    cargo_in with-health build --frozen --timings >"$OUT/build-timings.log" 2>&1
    mkdir -p "$OUT/cargo-timings"
    cp "$WORK/target-with-health/cargo-timings/"*.html "$OUT/cargo-timings/"
    TIMINGS_NOTE="$OUT/cargo-timings/cargo-timing.html"
    echo "   report: $TIMINGS_NOTE"
    if command -v python3 >/dev/null; then
        # The slowest units of the crates (or second versions) health adds,
        # read from the report's UNIT_DATA.
        echo "   slowest units that health adds (seconds of that unit under this run's load):"
        python3 - "$TIMINGS_NOTE" "$OUT/crates-added.txt" "$OUT/versions-added.txt" <<'PY' | tee "$OUT/timings-added-units.txt"
import json, sys
html = open(sys.argv[1]).read()
start = html.index("const UNIT_DATA = ") + len("const UNIT_DATA = ")
units = json.loads(html[start:html.index("];", start) + 1])
added = {line.strip() for line in open(sys.argv[2]) if line.strip()}
second = {tuple(line.split()) for line in open(sys.argv[3]) if line.strip()}
mine = [u for u in units
        if u["name"] in added or (u["name"], "v" + u["version"]) in second]
for u in sorted(mine, key=lambda u: -u["duration"])[:12]:
    target = u["target"].strip() or "lib"
    print(f"     {u['duration']:7.2f}  {u['name']} {u['version']} {target}")
print(f"     {sum(u['duration'] for u in mine):7.2f}  total of {len(mine)} units"
      f" (all units: {sum(u['duration'] for u in units):.2f})")
PY
    fi
fi

# ---------------------------------------------------------------------------
# Summary.

if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
    REV=$(git -C "$REPO" rev-parse --short HEAD)
    if [[ -n $(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
        REV="$REV (with uncommitted changes)"
    fi
else
    REV="not a git checkout"
fi

{
    echo "### Weight of health (features = [\"axum\"])"
    echo
    echo "health: \`$REPO\`, $REV; $(rustc --version); $(nproc) cores;" \
        "load average $LOAD_BEFORE before, $LOAD_AFTER after;" \
        "$PAIRS alternating pairs of cold debug builds, CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-default}."
    echo "Shared versions: axum $(pick axum), tokio $(pick tokio), serde $(pick serde)."
    echo
    echo "| app | crates (normal) | crates (normal + build) | cold debug CPU, median (s) | cold debug wall, median (s) |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    echo "| base | $N_BASE | $NB_BASE | $CPU_BASE | $WALL_BASE |"
    echo "| with-health | $N_WITH (+$N_ADDED) | $NB_WITH (+$NB_ADDED) | $CPU_WITH | $WALL_WITH |"
    echo "| with-health / base (median of per-pair ratios) | | | ${CPU_RATIO}x | ${WALL_RATIO}x |"
    echo
    echo "Added crates: $(sed "s/.*/\`&\`/" "$OUT/crates-added.txt" | paste -sd ' ')"
    if [[ -s $OUT/versions-added-users.txt ]]; then
        echo
        echo "A second version of a crate base already has (name version: its direct dependents):"
        echo
        sed 's/^/- /' "$OUT/versions-added-users.txt"
    fi
    if [[ -n $TIMINGS_NOTE ]]; then
        echo
        echo "cargo --timings report: \`$TIMINGS_NOTE\`"
    fi
} >"$OUT/summary.md"

echo
cat "$OUT/summary.md"
echo
echo "raw results (builds.tsv, crate lists, build logs) in $OUT"
