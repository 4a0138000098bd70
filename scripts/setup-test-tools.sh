#!/usr/bin/env bash
# The tools only the tests need, beside .venv: Debian's redis-server and pywb in its own venv.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
# redis-server (Debian) for the elastic-mode tests, which start their own on 127.0.0.1
if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        { apt-get install -y --no-install-recommends redis-server || { apt-get update && apt-get install -y --no-install-recommends redis-server; }; } >/tmp/newscrawl-apt.log 2>&1 \
            || { cat /tmp/newscrawl-apt.log >&2; echo "setup failed: apt-get install redis-server" >&2; exit 1; }
    else
        echo "setup: redis-server is missing; install it (e.g. sudo apt-get install redis-server)" >&2
        exit 1
    fi
fi
# pywb (the replay check of the tests) pins redis==2.10.6 while scrapy-redis needs redis>=4.2:
# it gets a venv of its own, used only as a command-line tool.
if [ ! -x .venv-pywb/bin/wayback ]; then
    "$PYTHON" -m venv .venv-pywb
    if ! .venv-pywb/bin/python -m pip install "pywb>=2.8" >.venv-pywb/install.log 2>&1; then
        cat .venv-pywb/install.log >&2
        echo "setup failed: pywb (see .venv-pywb/install.log)" >&2
        exit 1
    fi
fi
