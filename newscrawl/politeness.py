"""Politeness beyond Scrapy's defaults: a per-host delay floor that robots.txt Crawl-delay
can raise but nothing lowers, and retries of 429/503 that wait as the server asks.

- CrawlDelayFloorMiddleware: before each request, the host's download slot gets
  delay = max(its current delay, the floor), where the floor is the larger of
  NEWSCRAWL_MIN_DELAY (or the site's ``delay`` in the sites file) and the host's robots.txt
  Crawl-delay for our user agent. AutoThrottle may raise the delay further; it can no
  longer lower it below the floor. Randomisation is switched off where a floor applies, so
  the floor is a floor and not an average.
- PoliteRetryMiddleware: Scrapy's RetryMiddleware, but a 429 or 503 first waits the
  server's Retry-After (seconds or HTTP date), or an exponential backoff without one,
  capped at NEWSCRAWL_RETRY_AFTER_MAX, and the host's delay is raised to that wait.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from newscrawl.urls import in_domains

BACKOFF_BASE_S = 1.0


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: "120" or an HTTP date; None when absent or invalid."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now or time.time()))


class CrawlDelayFloorMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.min_delay = crawler.settings.getfloat("NEWSCRAWL_MIN_DELAY", 0.0)
        self.user_agent = crawler.settings.get("USER_AGENT") or ""
        self.robots_delay: dict[str, float] = {}  # host -> Crawl-delay
        self.raised: dict[str, float] = {}  # host -> delay asked by Retry-After

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayFloorMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.robots_parsed, signal=signals.robots_parsed)
        return mw

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        host = urlparse_cached(request).hostname or ""
        if delay:
            self.robots_delay[host] = float(delay)

    def site_delay(self, host: str) -> float:
        spider = self.crawler.spider
        for site in getattr(spider, "sites", []) or []:
            if site.delay is not None and in_domains(f"http://{host}/", site.allowed_domains):
                return max(site.delay, self.min_delay)
        return self.min_delay

    def floor(self, host: str) -> float:
        return max(self.site_delay(host), self.robots_delay.get(host, 0.0), self.raised.get(host, 0.0))

    def process_request(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        floor = self.floor(host)
        if floor <= 0:
            return None
        engine = self.crawler.engine
        if engine is None:
            return None
        downloader = engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and (slot.delay < floor or slot.jitter):
            slot.delay = max(slot.delay, floor)
            slot.jitter = 0.0
        return None


class PoliteRetryMiddleware(RetryMiddleware):
    WAIT_CODES = (429, 503)

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", 300.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PoliteRetryMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if response.status in self.WAIT_CODES and not request.meta.get("dont_retry"):
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            tries = request.meta.get("retry_times", 0)
            wait = min(self.max_wait, asked if asked is not None else BACKOFF_BASE_S * 2**tries)
            stats = self.crawler.stats
            assert stats is not None
            stats.inc_value(f"newscrawl/politeness/waited/{response.status}")
            floor = self._floor_middleware()
            if floor is not None:
                host = urlparse_cached(request).hostname or ""
                floor.raised[host] = max(floor.raised.get(host, 0.0), min(wait, self.max_wait))
            await asyncio.sleep(wait)
        return super().process_response(request, response)

    def _floor_middleware(self) -> CrawlDelayFloorMiddleware | None:
        engine = self.crawler.engine
        if engine is None:
            return None
        for mw in engine.downloader.middleware.middlewares:
            if isinstance(mw, CrawlDelayFloorMiddleware):
                return mw
        return None
