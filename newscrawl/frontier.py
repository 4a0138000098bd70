"""The crawl frontier on disk: Scrapy's scheduler with its pending requests in a file queue.

A news crawl that follows links knows most of a site's URLs long before it has fetched them
(every article links to others; a sitemap index lists tens of thousands): held as Request
objects those cost ~1 KB each in memory, so a crawl's RSS grew with the site. Scrapy keeps
pending requests on disk when it has a job directory; this scheduler gives it one of its own,
``OUTPUT_ROOT/_frontier/<WORKER_ID>/``, emptied when the crawl opens and removed when it
ends: the frontier is not a resume mechanism (the next run rediscovers from sitemaps and
feeds, and the incremental state says what is new), only a place that is not memory.

``NEWSCRAWL_FRONTIER_ON_DISK = False`` keeps Scrapy's memory queue; a JOBDIR set by the
operator is Scrapy's own resumable job and is left alone. With REDIS_URL the frontier is the
shared Redis queue (newscrawl.claims).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path
from typing import Any

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler

from newscrawl.run import OutputPaths, run_identity


def frontier_dir(crawler: Crawler) -> Path:
    return OutputPaths.from_settings(crawler.settings).root / "_frontier" / run_identity(crawler).worker_id


class DiskFrontierScheduler(Scheduler):
    """Scrapy's Scheduler, pending requests pickled to a per-worker file queue."""

    frontier: Path | None = None
    _lock: int = -1

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFrontierScheduler:
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        if scheduler.dqdir is None and settings.getbool("NEWSCRAWL_FRONTIER_ON_DISK", True):
            frontier = frontier_dir(crawler)
            scheduler._lock = _lock(frontier.with_name(frontier.name + ".lock"))
            shutil.rmtree(frontier, ignore_errors=True)  # an interrupted run's queue is not resumed
            _sweep(frontier.parent)
            queue = frontier / "requests.queue"  # where Scrapy puts it under a JOBDIR
            queue.mkdir(parents=True)
            scheduler.dqdir, scheduler.frontier = str(queue), frontier
        return scheduler

    def close(self, reason: str) -> Any:
        result = super().close(reason)
        if self.frontier is not None:
            shutil.rmtree(self.frontier, ignore_errors=True)
        if self._lock >= 0:
            if self.frontier is not None:
                self.frontier.with_name(self.frontier.name + ".lock").unlink(missing_ok=True)
            os.close(self._lock)  # releases the flock
            self._lock = -1
        return result


def _lock(path: Path) -> int:
    """An exclusive flock on ``path`` held by this process: a second crawl with the same
    WORKER_ID must not empty the frontier of the first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise RuntimeError(
            f"{path.parent} is in use by another running process with the same WORKER_ID; "
            "give each concurrent crawl its own -s WORKER_ID=..."
        ) from None
    return fd


def _sweep(root: Path) -> None:
    """Remove what killed crawls left here: a lock nobody holds, and its worker's queue."""
    for path in root.glob("*.lock"):
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a running crawl's (ours included)
        finally:
            os.close(fd)
        shutil.rmtree(root / path.name[: -len(".lock")], ignore_errors=True)
        path.unlink(missing_ok=True)
