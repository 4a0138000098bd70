"""The staging area (OUTPUT_ROOT/_staging/<worker>/) where Parquet files are written before
they are published: who owns which folder, and what a dead writer left behind.

A live writer holds an exclusive flock on its folder's ``.lock``. At start-up every folder
whose lock can be taken belongs to a process that is gone (killed, crashed): a staged file
that is complete is published (it was fsynced but not yet linked into its partition), one
already linked (two hard links) or incomplete is removed. Nothing under a dataset root is
touched, so readers never notice.
"""

from __future__ import annotations

import fcntl
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.parquet as pq
from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newscrawl.archive.writer import fsync_dir
from newscrawl.run import OutputPaths, run_identity
from pipelines.spill import SPILL_SUFFIX

logger = logging.getLogger(__name__)
LOCK_NAME = ".lock"
STAGED_SUFFIX = ".parquet.staged"


@dataclass
class SweepResult:
    published: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


class StagingClaim:
    """This process's staging folder, locked for as long as the claim is held."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self._fd = os.open(folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise RuntimeError(
                f"{folder} is in use by another running process with the same WORKER_ID; "
                "give each concurrent crawl its own -s WORKER_ID=..."
            ) from None

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1


def try_lock(folder: Path) -> int | None:
    """The folder's lock (an fd holding its flock), or None while a live process holds it."""
    fd = os.open(folder / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def sweep(staging_root: Path, parquet_root: Path, *, own: Path | None = None) -> SweepResult:
    """Recover or remove what dead writers left in ``staging_root`` (and in ``own``, the
    caller's folder, which it already holds)."""
    result = SweepResult()
    if not staging_root.exists():
        return result
    for folder in sorted(p for p in staging_root.iterdir() if p.is_dir()):
        fd = None if folder == own else try_lock(folder)
        if folder != own and fd is None:
            continue  # a live writer owns it
        try:
            for staged in sorted(folder.glob("*" + STAGED_SUFFIX)):
                _recover(staged, folder.name, parquet_root, result)
            for spilled in sorted(folder.glob("*" + SPILL_SUFFIX)):
                # a stopped writer's unpublished rows: rebuilt from its WARC files by
                # `scrapy reparse` / `scrapy reconcile`, as rows it held in memory always were
                spilled.unlink()
                result.removed.append(spilled)
            if folder != own and [p.name for p in folder.iterdir()] == [LOCK_NAME]:
                (folder / LOCK_NAME).unlink()  # a dead writer's empty folder
                folder.rmdir()
        finally:
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
    return result


def _recover(staged: Path, worker_id: str, parquet_root: Path, result: SweepResult) -> None:
    table, _, date = staged.name[: -len(STAGED_SUFFIX)].partition("-")
    if staged.stat().st_nlink > 1 or not _complete(staged):
        staged.unlink()  # already published (crash between link and unlink), or half written
        result.removed.append(staged)
        return
    target_dir = parquet_root / table / f"crawl_date={date}"
    target_dir.mkdir(parents=True, exist_ok=True)
    serial = 0
    stamp = datetime.fromtimestamp(staged.stat().st_mtime, tz=timezone.utc).strftime("%Y%m%d%H%M%S")
    while True:
        serial += 1
        target = target_dir / f"{table}-{stamp}-{worker_id}-r{serial:04d}.parquet"
        try:
            os.link(staged, target)
            break
        except FileExistsError:
            continue
    staged.unlink()
    fsync_dir(target_dir)
    result.published.append(target)
    logger.warning("Recovered %s left by a stopped writer as %s", staged, target)


def _complete(path: Path) -> bool:
    try:
        pq.ParquetFile(path).metadata
    except Exception:  # pyarrow raises several types for a truncated or empty file
        return False
    return True


class StagingArea:
    """Scrapy extension: claims this worker's staging folder for the crawl and, before any
    file is written, recovers what stopped writers left (see module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        paths = OutputPaths.from_settings(crawler.settings)
        self.crawler = crawler
        self.staging_root = paths.root / "_staging"
        self.parquet_root = paths.root / "parquet"
        self.folder = paths.staging(run_identity(crawler).worker_id)
        self.claim: StagingClaim | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StagingArea:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.claim = StagingClaim(self.folder)
        result = sweep(self.staging_root, self.parquet_root, own=self.folder)
        stats = self.crawler.stats
        assert stats is not None
        if result.published:
            stats.set_value("newscrawl/staging/recovered_files", len(result.published))
        if result.removed:
            stats.set_value("newscrawl/staging/removed_files", len(result.removed))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.claim is not None:
            self.claim.release()
            self.claim = None
