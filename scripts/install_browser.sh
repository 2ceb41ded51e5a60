#!/usr/bin/env bash
# What the browser test (tests/test_app_browser.py) needs from the system: Debian's chromium and a CJK font.
# Installs through apt only what is missing (as root, or through passwordless sudo). Where it cannot
# install (no apt-get, not root, no network) it says so and exits 0, so `make dev` still works and the
# browser test skips with its reason; under CI=true it exits 1 instead, as the test would fail.
set -uo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! { command -v fc-list >/dev/null && fc-list :lang=zh family | grep -qi "Noto Sans CJK"; }; then
    missing+=(fonts-noto-cjk)
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "browser: chromium and Noto CJK present"
    exit 0
fi

give_up() {
    echo "browser: cannot install ${missing[*]}: $1 (the browser test skips without chromium)" >&2
    [ "${CI:-}" = "true" ] && exit 1
    exit 0
}

command -v apt-get >/dev/null || give_up "no apt-get on this machine"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        give_up "not root and no passwordless sudo"
    fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "browser: apt-get install ${missing[*]}"
# the package lists may be stale or absent on a fresh image: update once if the first try fails
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}" \
    || { "${as_root[@]}" apt-get update && "${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; } \
    || give_up "apt-get failed"
command -v fc-cache >/dev/null && fc-cache -f >/dev/null 2>&1
echo "browser: installed ${missing[*]}"
