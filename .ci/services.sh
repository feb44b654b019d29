#!/usr/bin/env bash
# Installs the server binaries that the tests start themselves (see
# tests/src/servers.rs): PostgreSQL (initdb, pg_ctl) and redis-server; and
# protoc, which health-tonic/tests/proto.rs runs to check the gRPC messages
# against the vendored .proto (nothing else needs it: no build runs protoc);
# and promtool (Debian's `prometheus` package), which
# examples/tests/metrics.rs runs on the example's /metrics and
# examples/tests/fleet.rs on the Prometheus rules of deploy/prometheus/ (in
# CI a missing promtool fails them); and haproxy, wrk and h2load (nghttp2-client), the
# balancer and the HTTP/1.1 and HTTP/2 load clients of the connection-drain
# measurement (bench/drain.sh, issue 16), which starts them itself on
# loopback ports. The packages start no server on these machines (no init
# system runs here).
# Installs only what is missing, runs `apt-get update` at most once, and
# prints nothing unless it installs something or fails. Starts no server.
#
# Run it (`bash .ci/services.sh`) or source it (`. .ci/services.sh`); sourced,
# it also puts Debian's PostgreSQL bin directory on PATH when initdb is not
# there already, and leaves the caller's shell options alone.

health_ci_services() (
    set -euo pipefail

    missing=()
    if ! command -v redis-server >/dev/null 2>&1; then
        missing+=(redis-server)
    fi
    if ! command -v initdb >/dev/null 2>&1 &&
        ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        missing+=(postgresql)
    fi
    if ! command -v protoc >/dev/null 2>&1; then
        missing+=(protobuf-compiler)
    fi
    if ! command -v promtool >/dev/null 2>&1; then
        missing+=(prometheus)
    fi
    if ! command -v haproxy >/dev/null 2>&1; then
        missing+=(haproxy)
    fi
    if ! command -v wrk >/dev/null 2>&1; then
        missing+=(wrk)
    fi
    if ! command -v h2load >/dev/null 2>&1; then
        missing+=(nghttp2-client)
    fi
    if ((${#missing[@]} == 0)); then
        exit 0
    fi

    sudo=()
    if [[ $(id -u) != 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo -n)
        else
            echo "services.sh: missing ${missing[*]}, and not root to install them" >&2
            exit 1
        fi
    fi

    echo "services.sh: installing ${missing[*]}"
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    export DEBIAN_FRONTEND=noninteractive
    if ! { "${sudo[@]}" apt-get update -qq &&
        "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
        >"$log" 2>&1; then
        cat "$log" >&2
        echo "services.sh: installing ${missing[*]} failed" >&2
        exit 1
    fi
)

health_ci_services || {
    _health_rc=$?
    # shellcheck disable=SC2317 # reached when run rather than sourced
    return "$_health_rc" 2>/dev/null || exit "$_health_rc"
}

# Sourced: make initdb/pg_ctl callable by name for the caller too.
if [[ ${BASH_SOURCE[0]} != "$0" ]] && ! command -v initdb >/dev/null 2>&1; then
    _health_initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    if [[ -x $_health_initdb ]]; then
        PATH="${_health_initdb%/initdb}:$PATH"
        export PATH
    fi
    unset _health_initdb
fi
