"""Extension of the fetch-only baseline: its final stats as JSON at BENCH_STATS_FILE."""

from __future__ import annotations

import json
import resource
from pathlib import Path

from scrapy import Spider, signals
from scrapy.crawler import Crawler


class StatsFile:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path = Path(crawler.settings["BENCH_STATS_FILE"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatsFile:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = dict(self.crawler.stats.get_stats())
        stats["bench/peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.path.write_text(json.dumps(stats, default=str))
