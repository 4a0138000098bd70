#!/usr/bin/env bash
# Set up, serve the bundled demo news site on 127.0.0.1, crawl it into output/, print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
OUTPUT_ROOT="${OUTPUT_ROOT:-output}"

url_file=$(mktemp)
.venv/bin/python -m tests.site > "$url_file" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -f "$url_file"' EXIT
for _ in $(seq 50); do [ -s "$url_file" ] && break; sleep 0.1; done
start_url=$(head -n1 "$url_file")
echo "demo site: $start_url"

.venv/bin/scrapy crawl news -a "url=$start_url" \
    -s OUTPUT_ROOT="$OUTPUT_ROOT" -s ALLOW_PRIVATE_NETWORKS=true \
    -s DOWNLOAD_DELAY=0 -s NEWSCRAWL_MIN_DELAY=0 -s AUTOTHROTTLE_ENABLED=false -s LOG_LEVEL=WARNING
.venv/bin/scrapy report -s OUTPUT_ROOT="$OUTPUT_ROOT" 2>/dev/null
