#!/usr/bin/env bash
# What the status page's browser test needs (examples/tests/browser.rs runs
# tests/browser/status-page.test.mjs as part of `cargo test`): installs what
# is missing, Debian's chromium, Node.js and npm, and the test's one npm
# package, playwright-core, from its lockfile. Starts nothing, runs no test.
#
# Chromium comes from Debian's packages only (a test tool's own browser
# download cannot work here). Where it cannot be installed, this script and
# then the test say so in a banner, never silently, and the test is skipped;
# HEALTH_BROWSER_REQUIRED=1 turns that skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

skip() {
    local why=$1 what="BROWSER TEST SKIPPED"
    if [[ ${HEALTH_BROWSER_REQUIRED:-0} == 1 ]]; then
        what="BROWSER TEST CANNOT RUN (HEALTH_BROWSER_REQUIRED=1)"
    fi
    {
        echo
        echo "################################################################"
        echo "##  $what: $why"
        echo "##  The status page was NOT tested in a browser."
        echo "##  Install Debian's chromium (apt-get install chromium) and"
        echo "##  run bash .ci/browser.sh again."
        echo "################################################################"
        echo
    } >&2
    if [[ ${HEALTH_BROWSER_REQUIRED:-0} == 1 ]]; then
        exit 1
    fi
    exit 0
}

sudo=()
if [[ $(id -u) != 0 ]] && command -v sudo >/dev/null 2>&1; then
    sudo=(sudo -n)
fi
updated=0
apt_install() {
    local log
    log=$(mktemp)
    export DEBIAN_FRONTEND=noninteractive
    if ((updated == 0)); then
        "${sudo[@]}" apt-get update -qq >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; return 1; }
        updated=1
    fi
    if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        return 1
    fi
    rm -f "$log"
}

if [[ ! -x $CHROMIUM ]]; then
    echo "browser.sh: installing chromium"
    # fonts-dejavu-core: the page's status symbols (✔ ▲ ✖) in the screenshots.
    apt_install chromium fonts-dejavu-core || skip "chromium could not be installed"
    [[ -x $CHROMIUM ]] || skip "no $CHROMIUM after installing chromium"
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "browser.sh: installing nodejs and npm"
    apt_install nodejs npm || skip "nodejs and npm could not be installed"
fi

# The lockfile's playwright-core already installed: nothing to fetch (a
# warm run needs no network).
installed() {
    node -e '
        const lock = require("./tests/browser/package-lock.json");
        const want = lock.packages["node_modules/playwright-core"].version;
        const have = require("./tests/browser/node_modules/playwright-core/package.json").version;
        process.exit(want === have ? 0 : 1);
    ' 2>/dev/null
}
if ! installed; then
    echo "browser.sh: installing playwright-core (npm ci in tests/browser)"
    npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error ||
        skip "npm ci in tests/browser failed"
fi
echo "browser.sh: $("$CHROMIUM" --version 2>/dev/null | head -n 1), node $(node --version), playwright-core $(node -p 'require("./tests/browser/node_modules/playwright-core/package.json").version')"
