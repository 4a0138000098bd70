#!/usr/bin/env bash
# Create .venv (if missing) and install newscrawl with its test tools. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
log=.venv/install.log
if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e ".[test,redis]"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup failed: see the pip output above ($log)" >&2
    exit 1
fi
