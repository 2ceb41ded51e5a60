#!/usr/bin/env bash
# What the remote-store tests (tests/test_store_backends.py) need: Debian's Virtuoso (virtuoso-t, isql-vt)
# and the `oxigraph` server binary (the pip package pinned in requirements-dev.txt, in .venv). Installs
# only what is missing: Virtuoso through apt (as root, or through passwordless sudo; no service is
# started, the tests run virtuoso-t themselves), the oxigraph pin into .venv where .venv exists (else
# `make dev` brings it with requirements-dev.txt). Where it cannot install (no apt-get, not root, no
# network) it says so and exits 0, so `make dev` still works and those tests skip with the reason;
# under CI=true it exits 1 instead, as the tests would fail.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=0
cannot() {
    echo "stores: cannot install $1: $2 (the $1 store tests skip without it)" >&2
    failed=1
}

install_virtuoso() {
    if command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null; then
        echo "stores: virtuoso present"
        return
    fi
    command -v apt-get >/dev/null || { cannot virtuoso "no apt-get on this machine"; return; }
    local as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            cannot virtuoso "not root and no passwordless sudo"
            return
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    echo "stores: apt-get install virtuoso-opensource-7-bin"
    # the package lists may be stale or absent on a fresh image: update once if the first try fails
    "${as_root[@]}" apt-get install -y --no-install-recommends virtuoso-opensource-7-bin \
        || { "${as_root[@]}" apt-get update && "${as_root[@]}" apt-get install -y --no-install-recommends virtuoso-opensource-7-bin; } \
        || { cannot virtuoso "apt-get failed"; return; }
    echo "stores: installed virtuoso-opensource-7-bin"
}

install_oxigraph() {
    if [ -x .venv/bin/oxigraph ] || command -v oxigraph >/dev/null; then
        echo "stores: oxigraph server present"
        return
    fi
    if [ ! -x .venv/bin/python ]; then
        echo "stores: no .venv yet: \`make dev\` installs the oxigraph server with requirements-dev.txt"
        return
    fi
    local pin
    pin=$(grep -E '^oxigraph==' requirements-dev.txt) || { cannot "the oxigraph server" "no oxigraph pin in requirements-dev.txt"; return; }
    echo "stores: pip install $pin"
    .venv/bin/python -m pip install --quiet "$pin" || cannot "the oxigraph server" "pip install $pin failed"
}

install_virtuoso
install_oxigraph
if [ "$failed" -ne 0 ] && [ "${CI:-}" = "true" ]; then
    exit 1
fi
exit 0
