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

import os
import shutil
from pathlib import Path
from typing import Any

from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler

from newscrawl.run import OutputPaths, run_identity
from pipelines.staging import StagingClaim, try_lock


def frontier_dir(crawler: Crawler) -> Path:
    return OutputPaths.from_settings(crawler.settings).root / "_frontier" / run_identity(crawler).worker_id


class DiskFrontierScheduler(Scheduler):
    """Scrapy's Scheduler, pending requests pickled to a per-worker file queue. The folder is
    claimed like a staging folder (flock on its .lock): a second crawl with the same
    WORKER_ID stops instead of emptying the first one's queue."""

    frontier: Path | None = None
    _claim: StagingClaim | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DiskFrontierScheduler:
        scheduler = super().from_crawler(crawler)
        settings = crawler.settings
        if scheduler.dqdir is None and settings.getbool("NEWSCRAWL_FRONTIER_ON_DISK", True):
            frontier = frontier_dir(crawler)
            scheduler._claim = StagingClaim(frontier)
            queue = frontier / "requests.queue"  # where Scrapy puts it under a JOBDIR
            shutil.rmtree(queue, ignore_errors=True)  # an interrupted run's queue is not resumed
            _sweep(frontier.parent, own=frontier)
            queue.mkdir()
            scheduler.dqdir, scheduler.frontier = str(queue), frontier
        return scheduler

    def close(self, reason: str) -> Any:
        if self.frontier is None or self._claim is None:
            return super().close(reason)
        try:
            result = super().close(reason)  # writes the queue's state, which is discarded here
        except OSError:  # a full disk: nothing of the queue is kept anyway
            result = self.df.close(reason)
        shutil.rmtree(self.frontier, ignore_errors=True)
        self._claim.release()
        return result


def _sweep(root: Path, own: Path) -> None:
    """Remove the folders killed crawls left here (nobody holds their lock)."""
    for folder in [p for p in root.iterdir() if p.is_dir() and p != own]:
        fd = try_lock(folder)
        if fd is None:
            continue  # a running crawl's
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)
