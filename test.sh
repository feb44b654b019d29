#!/usr/bin/env bash
# ./test.sh: every test of the workspace, with what the tests need, on a
# fresh Debian machine with Rust (as root, or a user with password-less
# sudo). The one test command: the README names it and .ci/run runs it.
#
# What it installs, only where missing (a machine that ran it once installs
# nothing): from Debian's packages PostgreSQL (initdb, pg_ctl) and
# redis-server, whose servers the tests start themselves on free loopback
# ports and stop; protoc (protobuf-compiler) and promtool (prometheus),
# which tests run; haproxy, wrk and h2load (nghttp2-client), the balancer
# and load clients of the connection-drain measurement (bench/drain.sh,
# which starts them itself on loopback ports); Chromium, Node.js and npm
# for the status page's browser test; from the npm registry that test's
# one package, playwright-core (tests/browser/, from its lockfile); from
# PyPI kubernetes-validate, in a virtualenv under ~/.cache/health-tools,
# which checks deploy/*.yaml against Kubernetes 1.37's schemas offline.
# It starts no service of the machine's and changes no setting.
#
# Then it runs, and fails on the first step that fails: the manifests'
# validation, `cargo test --workspace --all-features`, and the default
# features that ship (`health-probe` as the Dockerfile builds it, without
# `tls`; the facade `health` with none). The browser test must run here
# (HEALTH_BROWSER_REQUIRED=1): a missing browser is a failure, not a skip.
#
# Where it cannot install (not root and no password-less sudo, or no
# network), it stops before any test, naming the command to run. The build
# cache lives outside the clone ($CARGO_TARGET_DIR, default
# ~/.cache/health-target), so a second run builds only what changed.
set -euo pipefail
cd "$(dirname "$0")"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/health-target}"
export HEALTH_BROWSER_REQUIRED=1
TOOLS="${HEALTH_TOOLS_DIR:-$HOME/.cache/health-tools}"
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBERNETES_VERSION=1.37.0
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

started=$SECONDS
step() {
    echo
    echo "== $* ($((SECONDS - started)) s)"
}

# Stops before any test: what is wrong, and the one command that fixes it.
cannot() {
    {
        echo
        echo "./test.sh: $1"
        echo "No test ran. The one command to run:"
        echo
        echo "    $2"
        echo
    } >&2
    exit 1
}

command -v cargo >/dev/null 2>&1 ||
    cannot "cargo is not on PATH: install Rust with rustup first (it reads the version rust-toolchain.toml pins)." \
        "./test.sh"

# ---- what is missing --------------------------------------------------------
missing_debian=()
have() { command -v "$1" >/dev/null 2>&1; }
have redis-server || missing_debian+=(redis-server)
have initdb || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing_debian+=(postgresql)
have protoc || missing_debian+=(protobuf-compiler)
have promtool || missing_debian+=(prometheus)
have haproxy || missing_debian+=(haproxy)
have wrk || missing_debian+=(wrk)
have h2load || missing_debian+=(nghttp2-client)
[[ -x $CHROMIUM ]] || missing_debian+=(chromium fonts-dejavu-core)
{ have node && have npm; } || missing_debian+=(nodejs npm)
have python3 || missing_debian+=(python3)
if [[ ! -x $TOOLS/venv/bin/kubernetes-validate ]] &&
    ! { have python3 && python3 -c 'import ensurepip, venv' 2>/dev/null; }; then
    missing_debian+=(python3-venv)
fi

if ((${#missing_debian[@]} > 0)) && [[ $(id -u) != 0 ]]; then
    if ! have sudo || ! sudo -n true 2>/dev/null; then
        cannot "missing ${missing_debian[*]} (Debian packages), and this user cannot install them (not root, no password-less sudo)." \
            "sudo ./test.sh"
    fi
fi

# ---- install ----------------------------------------------------------------
if ((${#missing_debian[@]} > 0)); then
    step "installing from Debian's packages: ${missing_debian[*]}"
fi
# Each script installs only what is missing, prints nothing when nothing
# is, and fails (rather than skips) when it cannot install.
# shellcheck source=.ci/services.sh
. .ci/services.sh ||
    cannot "installing the test servers' packages failed (output above): no network?" "sudo ./test.sh"
bash .ci/browser.sh ||
    cannot "installing the browser test's Chromium, Node.js or playwright-core failed (output above): no network?" "sudo ./test.sh"
if [[ ! -x $TOOLS/venv/bin/kubernetes-validate ]]; then
    if ! have python3 || ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
        sudo=()
        [[ $(id -u) == 0 ]] || sudo=(sudo -n)
        step "installing from Debian's packages: python3-venv"
        { "${sudo[@]}" apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
                --no-install-recommends python3 python3-venv; } >/dev/null ||
            cannot "installing python3-venv failed (output above): no network?" "sudo ./test.sh"
    fi
    step "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION (PyPI) into $TOOLS/venv"
    rm -rf "$TOOLS/venv"
    mkdir -p "$TOOLS"
    { python3 -m venv "$TOOLS/venv" &&
        "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check \
            "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"; } ||
        cannot "installing kubernetes-validate from PyPI failed (output above): no network?" "./test.sh"
fi

# ---- test -------------------------------------------------------------------
step "the Kubernetes manifests against Kubernetes $KUBERNETES_VERSION's schemas"
"$TOOLS/venv/bin/kubernetes-validate" --strict -k "$KUBERNETES_VERSION" deploy/*.yaml

step "cargo test --workspace --all-features"
cargo test --workspace --all-features

step "cargo test -p health-probe (default features: the Dockerfile's probe, no tls)"
cargo test -p health-probe

step "cargo test -p health (the facade, default features)"
cargo test -p health

step "every test passed"
