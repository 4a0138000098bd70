"""The baselines of bench/throughput.py: plain Scrapy fetching the same pages.

A SitemapSpider from robots.txt; every article response is counted and dropped (A), or
given to trafilatura (C, ``-a extract=trafilatura``). Run with bench.fetch_settings (the
project's settings would add the whole pipeline).
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response
from scrapy.spiders import SitemapSpider


class FetchOnlySpider(SitemapSpider):
    name = "fetch_only"

    def __init__(self, base: str = "", extract: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [base.rstrip("/") + "/robots.txt"]
        self.extract = extract

    def parse(self, response: Response) -> Any:
        self.crawler.stats.inc_value("bench/article_pages")
        if self.extract == "trafilatura":
            import trafilatura

            doc = trafilatura.bare_extraction(response.text, url=response.url, include_comments=False, with_metadata=True)
            if doc is not None:
                yield {"url": response.url, "title": doc.title, "text": doc.text}
