"""Record fetches that produced no response (timeouts, resets, DNS errors) as captures."""

from __future__ import annotations

import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from newscrawl import signals as nc_signals
from newscrawl.archive.timing import FETCH_STARTED_KEY
from newscrawl.captures import capture_from_failure
from newscrawl.run import run_identity


def describe_error(exc: BaseException) -> str:
    """Short, stable reason for the ``error`` column: the exception class and its message."""
    message = " ".join(str(exc).split())[:200]
    name = type(exc).__name__
    return f"{name}: {message}" if message else name


class FetchFailureMiddleware:
    """Downloader middleware placed next to the downloader, so it sees every failed attempt
    (including those RetryMiddleware will retry) and turns each into a ``captures`` row."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run = run_identity(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FetchFailureMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, IgnoreRequest):
            return None  # nothing was fetched (robots.txt, offsite, network guard)
        started = request.meta.get(FETCH_STARTED_KEY, time.time())
        capture = capture_from_failure(
            request, describe_error(exception), fetch_time=started, run=self.run
        )
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("newscrawl/fetch/failed")
        stats.inc_value(f"newscrawl/fetch/failed/{type(exception).__name__}")
        self.crawler.signals.send_catch_log(signal=nc_signals.capture_recorded, capture=capture)
        return None
