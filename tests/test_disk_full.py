"""A disk that fills up mid-crawl: a real small tmpfs as OUTPUT_ROOT (the tests run as root,
as CI does). The crawl must stop cleanly with a clear message and exit status 2, leave no
corrupt file, and — once there is room again — the next run repairs and the data verifies."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import PROJECT_ROOT, run_crawl
from tests.site.server import DemoServer


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_stops_the_crawl_cleanly_and_the_next_run_recovers(demo_server: DemoServer, small_disk: Path) -> None:
    run = run_crawl(demo_server.base + "/", small_disk, demo_server)
    assert run.returncode == 2, run.log[-3000:]
    assert "No space left on device" in run.log or "disk is full" in run.log
    assert "Free disk space" in run.log
    assert "Traceback" not in run.log, run.log[run.log.find("Traceback") - 500:][:3000]
    for path in small_disk.glob("parquet/*/*/*.parquet"):
        pq.ParquetFile(path).metadata  # whatever was published is whole
    for warc in small_disk.glob("warc/*/*.warc.gz"):
        subprocess.run(["gzip", "-t", str(warc)], check=True)

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)  # room again
    again = run_crawl(demo_server.base + "/", small_disk, demo_server)
    assert again.returncode == 0, again.log[-3000:]
    assert not list(small_disk.rglob("*.open")) and not list(small_disk.rglob("*.staged"))
    for day in sorted(p.name.removeprefix("crawl_date=") for p in small_disk.glob("warc/crawl_date=*")):
        subprocess.run(
            [sys.executable, "-m", "scrapy", "reparse", "--date", day, "-s", f"OUTPUT_ROOT={small_disk}"],
            cwd=PROJECT_ROOT, check=True, capture_output=True,
        )
    verified = subprocess.run(
        [sys.executable, "-m", "scrapy", "verify", "--deep", "-s", f"OUTPUT_ROOT={small_disk}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True,
    )
    assert verified.returncode == 0, verified.stdout[-3000:]
