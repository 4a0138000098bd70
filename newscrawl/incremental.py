"""Incremental crawls: a later run fetches only what is new or may have changed.

A downloader middleware consults the state store before every request:
- a URL that already produced an article is not fetched again (stat
  ``newscrawl/incremental/skipped_known_article``), unless its article was published less
  than NEWSCRAWL_REFRESH_DAYS ago, when it is fetched conditionally to record updates;
- any other URL fetched before (homepages, sections, sitemaps, feeds) is fetched with
  If-None-Match / If-Modified-Since from its last response, so an unchanged one costs a 304
  (archived as a server-not-modified revisit) and yields no links to follow.
robots.txt is always fetched unconditionally: a 304 would read as an empty robots.txt.
"""

from __future__ import annotations

import time

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from newscrawl.state import CrawlState, state_store

DAY = 86400.0


class IncrementalMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("NEWSCRAWL_INCREMENTAL", True):
            raise NotConfigured("NEWSCRAWL_INCREMENTAL is off: every run fetches everything")
        self.crawler = crawler
        self.refresh_days = crawler.settings.getfloat("NEWSCRAWL_REFRESH_DAYS", 0.0)
        self._store: CrawlState | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        return cls(crawler)

    @property
    def store(self) -> CrawlState | None:
        if self._store is None:
            self._store = state_store(self.crawler)
        return self._store

    def process_request(self, request: Request) -> None:
        if request.url.endswith("/robots.txt") or request.meta.get("newscrawl_unconditional"):
            return None
        store = self.store
        if store is None:
            return None
        known = store.url(request.url)
        if known is None:
            return None
        stats = self.crawler.stats
        assert stats is not None
        if known.article_id:
            article = store.article(known.article_id)
            fresh = (
                self.refresh_days > 0
                and article is not None
                and article.date_published is not None
                and time.time() - article.date_published < self.refresh_days * DAY
            )
            if not fresh:
                stats.inc_value("newscrawl/incremental/skipped_known_article")
                raise IgnoreRequest(f"already archived article {known.article_id}")
            stats.inc_value("newscrawl/incremental/refresh")
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))
        if known.etag or known.last_modified:
            stats.inc_value("newscrawl/incremental/conditional")
        return None
