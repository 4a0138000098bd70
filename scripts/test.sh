#!/usr/bin/env bash
# Set up and run the whole test suite (warnings are errors, see pyproject.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-test-tools.sh
.venv/bin/python -m pytest "$@"
