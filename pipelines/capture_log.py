"""CaptureLog: every HTTP exchange and failed fetch -> the ``captures`` table (the crawl log)."""

from __future__ import annotations

import logging

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newscrawl import signals as nc_signals
from newscrawl.items import Capture
from pipelines.parquet import build_table_writer, item_row

logger = logging.getLogger(__name__)


class CaptureLog:
    """Extension listening on ``capture_recorded``: captures are not items (robots.txt,
    redirects and failures never reach a spider callback), so they bypass the item pipelines."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.writer = build_table_writer(crawler, "captures")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureLog:
        ext = cls(crawler)
        crawler.signals.connect(ext.capture_recorded, signal=nc_signals.capture_recorded)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def capture_recorded(self, capture: Capture) -> None:
        published = self.writer.add(item_row(capture))
        self.crawler.stats.inc_value("newscrawl/parquet/rows/captures")
        self._count(published)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self._count(self.writer.close())

    def _count(self, published: list) -> None:
        for path in published:
            self.crawler.stats.inc_value("newscrawl/parquet/files/captures")
            logger.info("Published %s", path)
