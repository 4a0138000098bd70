"""Elastic mode (DESIGN §6): with REDIS_URL set, every worker shares one frontier on Redis.

scrapy-redis provides the shared request queue and duplicate filter; this module switches
them on with the settings a shared crawl needs, and keeps a worker alive while the shared
queue is only momentarily empty:

- ``SCHEDULER_PERSIST=True``: a worker that finishes never wipes the queue or the
  duplicate filter the others still use;
- per-crawl keys ``newscrawl:<NEWSCRAWL_CRAWL_KEY>:…``: every worker started with the same
  key (default: today's UTC date) works on one crawl; the next key starts a fresh one, so
  yesterday's duplicate filter never hides today's homepage;
- start requests are still made by the spider's async ``start()`` on every worker; the
  shared duplicate filter lets the first one in and drops the others';
- claims: every request a worker takes from the shared queue is noted in that worker's
  claims hash (``…:claims:<WORKER_ID>``, URL -> the queued request) until its response has
  gone through the spider (links queued, item handed on). A worker killed mid-crawl leaves
  its claims behind; ``scrapy reconcile`` (newscrawl/reconcile.py) puts those without a
  capture back in the queue.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings

KEY_PREFIX = "newscrawl"


def crawl_key(settings: BaseSettings) -> str:
    return settings.get("NEWSCRAWL_CRAWL_KEY") or datetime.now(timezone.utc).strftime("%Y-%m-%d")


def redis_keys(settings: BaseSettings) -> dict[str, str]:
    """The Redis keys of one crawl (``%(spider)s`` is filled in by scrapy-redis)."""
    base = f"{KEY_PREFIX}:{crawl_key(settings)}:%(spider)s"
    return {"SCHEDULER_QUEUE_KEY": f"{base}:requests", "SCHEDULER_DUPEFILTER_KEY": f"{base}:dupefilter"}


def claims_key(settings: BaseSettings, worker_id: str, spider: str = "news") -> str:
    """The hash of requests ``worker_id`` has taken from the queue and not finished."""
    base = redis_keys(settings)["SCHEDULER_QUEUE_KEY"].rsplit(":", 1)[0] % {"spider": spider}
    return f"{base}:claims:{worker_id}"


def claims_pattern(settings: BaseSettings, spider: str = "news") -> str:
    return claims_key(settings, "*", spider)


def encode_claim(priority: int, queued: bytes) -> bytes:
    """A claim's value: the request's priority and its bytes as the shared queue holds them."""
    return b"%d\n" % priority + queued


def decode_claim(value: bytes) -> tuple[int, bytes]:
    priority, _, queued = value.partition(b"\n")
    return int(priority), queued


class ClaimRelease:
    """Spider middleware, outermost: releases a request's claim once the spider's output for
    its response has been handed on (so the links it found are in the shared queue)."""

    def __init__(self, crawler: Crawler) -> None:
        import redis

        settings = crawler.settings
        self.client = redis.Redis.from_url(settings["REDIS_URL"])
        self.key = claims_key(settings, settings["WORKER_ID"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClaimRelease:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("not in elastic mode")
        return cls(crawler)

    def _release(self, response: Response) -> None:
        urls = {response.request.url if response.request is not None else response.url, response.url}
        urls.update(response.meta.get("redirect_urls") or [])
        self.client.hdel(self.key, *urls)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        yield from result
        self._release(response)

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for element in result:
            yield element
        self._release(response)


class ElasticAddon:
    """Scrapy add-on: REDIS_URL set -> scrapy-redis scheduler and duplicate filter; else the
    disk-frontier scheduler."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("REDIS_URL"):
            # one machine: Scrapy's scheduler with the frontier on disk (newscrawl.frontier)
            settings.set("SCHEDULER", "newscrawl.frontier.DiskFrontierScheduler", priority="addon")
            return
        try:
            import scrapy_redis  # noqa: F401
        except ImportError as exc:
            raise RuntimeError("REDIS_URL needs scrapy-redis: pip install 'newscrawl[redis]'") from exc
        settings.set("SCHEDULER", "newscrawl.claims.ClaimingScheduler", priority="addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="addon")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        for name, value in redis_keys(settings).items():
            if settings.getpriority(name) is None or settings.getpriority(name) <= settings.getpriority("REDIS_URL"):
                settings.set(name, value, priority="addon")
        settings.set("NEWSCRAWL_CRAWL_KEY", crawl_key(settings), priority="addon")


class SharedQueueGrace:
    """Extension (on in EXTENSIONS, NotConfigured without REDIS_URL). Keeps an idle worker open for NEWSCRAWL_REDIS_IDLE_SECONDS (default 10) after the
    shared queue last had work: another worker's page in progress may still add requests."""

    def __init__(self, crawler: Crawler, grace: float) -> None:
        self.crawler = crawler
        self.grace = grace
        self.idle_since: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedQueueGrace:
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("not in elastic mode")
        ext = cls(crawler, crawler.settings.getfloat("NEWSCRAWL_REDIS_IDLE_SECONDS", 10.0))
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.working, signal=signals.request_reached_downloader)
        return ext

    def spider_idle(self, spider: Spider) -> None:
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.grace:
            raise DontCloseSpider("waiting for the shared queue")

    def working(self) -> None:
        self.idle_since = None
