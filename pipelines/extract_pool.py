"""Extraction off the reactor's core: a pool of worker processes fed with page bytes.

Scrapy's reactor runs on one core; extracting an article costs several times what fetching
and archiving it does, so on a machine with a second core the crawl goes as fast as
extraction can keep up only if extraction runs there. Each job is plain data both ways:
(body, URL, headers, fetch time) in, a ``PageExtraction`` (dataclasses) and the worker's CPU
milliseconds out. The workers are spawned (never forked from a process running a reactor and
threads), and die with the crawl process (Linux parent-death signal): a crawl killed with
SIGKILL leaves no worker behind holding its files or its stderr.

A worker that dies (a segfault in a C library, the OOM killer) breaks the pool: the pool is
replaced and each job it lost is tried once more, alone in a process of its own; the job
that kills that one too is given up on (its page stays in the WARC and ``captures``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from newscrawl.extract import PageExtraction, extract_page
from newscrawl.extract.profiles import profile_for
from newscrawl.gctune import tune_gc

logger = logging.getLogger(__name__)

_profiles: dict[str, str] = {}


def _init_worker(profiles: Mapping[str, str], parent: int, gc_threshold: int = 0) -> None:
    global _profiles
    _profiles = dict(profiles)
    _die_with(parent)
    if gc_threshold > 0:  # the crawl process's collector settings (newscrawl.gctune)
        tune_gc(gc_threshold)


def _die_with(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when their queue closes
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def extract_job(
    body: bytes, url: str, headers: Mapping[str, str], fetched_at: datetime | None, links: bool = False
) -> tuple[PageExtraction, float]:
    """Runs in a worker: the page's extraction (with its links, if asked) and the CPU
    milliseconds it took."""
    started = time.thread_time()
    result = extract_page(body, url, headers, fetched_at=fetched_at, profile=profile_for(url, _profiles), links=links)
    return result, (time.thread_time() - started) * 1000.0


def workers_for(setting: str | int | None) -> int:
    """NEWSCRAWL_EXTRACT_WORKERS: a number (0: extract in the crawl process) or ``auto``:
    one per core beyond the reactor's, at most 4."""
    if setting in (None, "", "auto"):
        return max(0, min(4, (os.cpu_count() or 1) - 1))
    return max(0, int(setting))


class BrokenWorker(RuntimeError):
    """A page whose extraction took its worker down, twice."""


class ExtractionPool:
    def __init__(
        self, workers: int, profiles: Mapping[str, str], job: Callable[..., tuple[PageExtraction, float]] = extract_job,
        gc_threshold: int = 0,
    ) -> None:
        self.workers = workers
        self.gc_threshold = gc_threshold
        self.job = job
        self.profiles = dict(profiles)
        self.replaced = 0
        self._context = multiprocessing.get_context("spawn")
        self._executor = self._start()

    def _start(self, workers: int | None = None) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers or self.workers, mp_context=self._context, initializer=_init_worker, initargs=(self.profiles, os.getpid(), self.gc_threshold))

    async def extract(
        self, body: bytes, url: str, headers: Mapping[str, str], fetched_at: datetime | None, links: bool = False
    ) -> tuple[PageExtraction, float]:
        args = (body, url, dict(headers), fetched_at, links)
        executor = self._executor
        try:
            return await asyncio.wrap_future(executor.submit(self.job, *args))
        except BrokenProcessPool:
            if executor is self._executor:  # the first job to notice replaces the pool
                logger.error("An extraction worker died (pool of %d replaced); its pages are tried again one by one", self.workers)
                self.replaced += 1
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._start()
        # Tried again alone in a process of its own: the page that kills workers takes down
        # only that one, not the pool again with the innocent pages that were lost with it.
        alone = self._start(workers=1)
        try:
            return await asyncio.wrap_future(alone.submit(self.job, *args))
        except BrokenProcessPool:
            raise BrokenWorker(f"extraction of {url} takes its worker process down") from None
        finally:
            alone.shutdown(wait=False)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

