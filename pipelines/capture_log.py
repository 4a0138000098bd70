"""CaptureLog: every HTTP exchange and failed fetch -> the ``captures`` table (the crawl log)."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newscrawl import signals as nc_signals
from newscrawl.cpu import cpu_stage
from newscrawl.items import Capture
from pipelines.parquet import TableSink
from pipelines.parquet_writer import PartitionedParquetWriter


class CaptureLog:
    """Extension listening on ``capture_recorded``: captures are not items (robots.txt,
    redirects and failures never reach a spider callback), so they bypass the item pipelines."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.sink = TableSink(crawler, "captures")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureLog:
        ext = cls(crawler)
        crawler.signals.connect(ext.capture_recorded, signal=nc_signals.capture_recorded)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    @property
    def writer(self) -> PartitionedParquetWriter:
        return self.sink.writer

    def spider_opened(self, spider: Spider) -> None:
        self.sink.start()

    def capture_recorded(self, capture: Capture) -> None:
        with cpu_stage(self.stats, "parquet"):
            self.sink.add(capture)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        with cpu_stage(self.stats, "parquet"):
            self.sink.close()
