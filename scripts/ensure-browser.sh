#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's chromium and chromium-driver, and
# Selenium from PyPI (Tests/Browser/workbench.py drives the browser through it). scripts/test.sh runs
# this first, so the browser tests run on a fresh machine too. Prints nothing when all is there.
set -euo pipefail
if [ "${1:-}" = "--help" ]; then sed -n 2,4p "$0"; exit 0; fi
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
    echo "ensure-browser: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! python3 -c "import selenium" >/dev/null 2>&1; then
    echo "ensure-browser: installing selenium" >&2
    python3 -m pip install --quiet selenium || python3 -m pip install --quiet --break-system-packages selenium
fi
