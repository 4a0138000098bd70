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

import logging
import os
import shutil
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.squeues import PickleLifoDiskQueue

from newscrawl.run import OutputPaths, run_identity
from pipelines.staging import StagingClaim, try_lock


logger = logging.getLogger(__name__)


def frontier_dir(crawler: Crawler) -> Path:
    return OutputPaths.from_settings(crawler.settings).root / "_frontier" / run_identity(crawler).worker_id


class DiskFrontierScheduler(Scheduler):
    """Scrapy's Scheduler, pending requests pickled to a per-worker file queue. The folder is
    claimed like a staging folder (flock on its .lock): a second crawl with the same
    WORKER_ID stops instead of emptying the first one's queue."""

    frontier: Path | None = None
    _claim: StagingClaim | None = None
    disk_failed = False

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
            scheduler.dqclass = FrontierDiskQueue
        return scheduler

    def _dqpush(self, request: Request) -> bool:
        """To the file queue; to memory once the disk has failed (the request is not lost)."""
        if self.disk_failed:
            return False
        try:
            return super()._dqpush(request)
        except OSError as exc:
            self._disk_failure(exc)
            return False

    def _dqpop(self) -> Request | None:
        if self.disk_failed:
            return None
        try:
            return super()._dqpop()
        except OSError as exc:
            self._disk_failure(exc)
            return None

    def __len__(self) -> int:
        return len(self.mqs) if self.disk_failed else super().__len__()

    def _disk_failure(self, exc: OSError) -> None:
        """A full or failing disk (the WARC writer will stop the crawl for it too): what the
        file queue held is given up for this run, counted and said (the next run discovers
        those URLs again: the frontier is never resumed); from now on requests wait in memory."""
        self.disk_failed = True
        try:
            lost = len(self.dqs) if self.dqs is not None else 0
        except (OSError, ValueError):
            lost = -1  # unknown
        assert self.stats is not None
        self.stats.set_value("newscrawl/frontier/disk_failed", 1)
        if lost > 0:
            self.stats.set_value("newscrawl/frontier/requests_given_up", lost)
        logger.error(
            "The frontier queue under %s cannot be written or read (%s); %s pending requests in it are given up "
            "for this run (the next run rediscovers them), new ones wait in memory", self.dqdir, exc,
            lost if lost >= 0 else "its",
        )

    def close(self, reason: str) -> Any:
        if self.frontier is None or self._claim is None:
            return super().close(reason)
        try:
            result = super().close(reason)  # writes the queue's state, which is discarded here
        except OSError:  # a full disk: nothing of the queue is kept anyway
            _close_files(self.dqs)
            result = self.df.close(reason)
        shutil.rmtree(self.frontier, ignore_errors=True)
        self._claim.release()
        return result


class FrontierDiskQueue(PickleLifoDiskQueue):
    """Scrapy's pickled LIFO file queue, without its cost per request: ``Request.to_dict``
    finds a callback's name by listing every member of the spider (``inspect.getmembers``,
    ~0.1 ms, more than the rest of the push). A spider method is found by its own name here;
    anything else goes Scrapy's way."""

    def push(self, request: Request) -> None:
        names = [_method_name(self.spider, func) for func in (request.callback, request.errback)]
        if _UNKNOWN in names:
            return super().push(request)
        callback, errback = request.callback, request.errback
        request.callback = request.errback = None  # to_dict has no method to look up
        try:
            fields = request.to_dict(spider=self.spider)
        finally:
            request.callback, request.errback = callback, errback
        fields["callback"], fields["errback"] = names
        super(PickleLifoDiskQueue, self).push(fields)  # the pickling queue under Scrapy's


_UNKNOWN = object()


def _method_name(spider: Any, func: Any) -> Any:
    """The name ``Request.to_dict`` stores for a callback: its own for a method of the
    spider, the value itself when it is not callable; ``_UNKNOWN`` otherwise."""
    if not callable(func):
        return func
    name = getattr(func, "__name__", None)
    own = getattr(spider, name, None) if name else None
    if own is not None and getattr(own, "__func__", None) is getattr(func, "__func__", _UNKNOWN):
        return name
    return _UNKNOWN


def _close_files(queue: Any) -> None:
    """Close the files of a disk priority queue whose own close failed part-way (its state
    could not be written): its queues per priority, per download slot, down to queuelib's."""
    for inner in [*getattr(queue, "pqueues", {}).values(), *getattr(queue, "queues", {}).values()]:
        _close_files(inner)
    file = getattr(queue, "f", None)
    if file is not None:
        try:
            file.close()
        except OSError:
            pass


def _sweep(root: Path, own: Path) -> None:
    """Remove the folders killed crawls left here (nobody holds their lock)."""
    for folder in [p for p in root.iterdir() if p.is_dir() and p != own]:
        fd = try_lock(folder)
        if fd is None:
            continue  # a running crawl's
        shutil.rmtree(folder, ignore_errors=True)
        os.close(fd)
