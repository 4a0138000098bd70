"""SIGKILL at chosen points of a real demo crawl, then restart, reparse and verify: no capture
lost, no article twice, every pointer resolving (issue #7's kill tests)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, CrawlRun, run_crawl, start_crawl, wait_until
from tests.site.server import DemoServer


def _published(root: Path) -> int:
    return len(list(root.glob("parquet/*/*/*.parquet")))


def _open_warc_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.glob("warc/*/*.warc.gz.open"))


# name -> (rows per Parquet file, the moment to kill at, evaluated on the output root)
KILL_POINTS: dict[str, tuple[str, Callable[[Path], bool]]] = {
    # records in the open WARC, nothing published yet: every row is still in memory
    "first-records": ("100000", lambda root: _open_warc_bytes(root) > 20_000),
    # some Parquet files published, more rows buffered, the WARC still open
    "parquet-published": ("3", lambda root: _published(root) >= 3),
    # late in the crawl, with many files behind it
    "late": ("3", lambda root: _published(root) >= 9),
}


def _scrapy(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "-s", f"OUTPUT_ROOT={root}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_sigkill_then_restart_and_reparse_loses_nothing(
    point: str, demo_server: DemoServer, demo_crawl: CrawlRun, tmp_path: Path
) -> None:
    before = len(demo_server.site.served)
    rows_per_file, kill_now = KILL_POINTS[point]
    proc = start_crawl(
        demo_server.base + "/", tmp_path,
        NEWSCRAWL_MIN_DELAY="0.05", CONCURRENT_REQUESTS_PER_DOMAIN="1", PARQUET_MAX_ROWS_PER_FILE=rows_per_file,
    )
    wait_until(lambda: kill_now(tmp_path) or proc.poll() is not None)
    assert proc.poll() is None, f"the crawl ended before the kill point {point}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert list(tmp_path.glob("warc/*/*.warc.gz.open")), "a SIGKILL leaves the WARC open"

    again = run_crawl(demo_server.base + "/", tmp_path, demo_server)
    assert again.returncode == 0, again.log[-3000:]
    assert "'newscrawl/warc/repaired_files': 1" in again.log
    assert "scrapy reparse" in again.log  # the restart tells the operator what rebuilds the rows
    assert not list(tmp_path.rglob("*.open")) and not list(tmp_path.rglob("*.staged"))

    for day in sorted(p.name.removeprefix("crawl_date=") for p in tmp_path.glob("warc/crawl_date=*")):
        reparsed = _scrapy(tmp_path, "reparse", "--date", day)
        assert reparsed.returncode == 0, reparsed.stderr[-3000:]
    verified = _scrapy(tmp_path, "verify", "--deep")
    assert verified.returncode == 0, verified.stdout[-3000:]

    table = f"read_parquet('{tmp_path}/parquet/articles/**/*.parquet')"
    (duplicates,), = duckdb.sql(f"SELECT count(*) - count(DISTINCT article_id) FROM {table}").fetchall()
    assert duplicates == 0
    recovered = {row[0] for row in duckdb.sql(f"SELECT article_id FROM {table}").fetchall()}
    full = {row[0] for row in duckdb.sql(f"SELECT article_id FROM read_parquet('{demo_crawl.output}/parquet/articles/**/*.parquet')").fetchall()}
    assert full <= recovered, f"articles lost: {len(full - recovered)}"

    captured = {urlsplit(row[0]).path or "/" for row in duckdb.sql(
        f"SELECT url FROM read_parquet('{tmp_path}/parquet/captures/**/*.parquet')"
    ).fetchall()}
    served = {path.split("?")[0] for path in demo_server.site.served[before:]}
    assert served <= captured, f"fetched but never captured: {sorted(served - captured)[:5]}"
