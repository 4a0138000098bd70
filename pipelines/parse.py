"""ParsePipeline: raw PageItems -> ArticleItems, through the pure extraction code."""

from __future__ import annotations

import logging
from dataclasses import fields
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.cpu import charged
from newscrawl.extract import PageExtraction, extract_page
from newscrawl.extract.profiles import Profile, profile_for
from newscrawl.items import Article, ArticleItem, Capture, PageItem
from newscrawl.urls import host_name

logger = logging.getLogger(__name__)

_CAPTURE_FIELDS = tuple(f.name for f in fields(Capture))
_ARTICLE_FIELDS = tuple(f.name for f in fields(Article) if f.name != "url")


def article_item(capture: Capture, article: Article, requested_url: str | None) -> ArticleItem:
    """One ``articles`` row: the capture columns of the page plus the article's."""
    values = {name: getattr(capture, name) for name in _CAPTURE_FIELDS}
    values.update({name: getattr(article, name) for name in _ARTICLE_FIELDS})
    return ArticleItem(**values, requested_url=requested_url)


class ParsePipeline:
    """Extracts each page; non-article pages are counted and dropped, never stored as junk.

    The page itself is never lost: its response is already in the WARC and ``captures``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.profiles: dict[str, str] = dict(crawler.settings.getdict("NEWSCRAWL_PROFILES"))
        self._profile_cache: dict[str | None, Profile | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParsePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        """Profiles named in the sites file apply to their sites' domains."""
        for site in getattr(self.crawler.spider, "sites", []) or []:
            if site.profile:
                for domain in site.allowed_domains:
                    self.profiles.setdefault(domain, site.profile)

    @charged("extract")
    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        self.stats.inc_value("newscrawl/parse/pages")
        try:
            result = extract_page(
                item.body, item.url, item.headers, fetched_at=item.capture.fetch_time, profile=self._profile(item.url)
            )
        except Exception as exc:  # the extractor promises not to raise; if it does, count and explain
            self.stats.inc_value(f"newscrawl/parse/failed/{type(exc).__name__}")
            logger.exception("Extraction crashed on %s; the page stays in the WARC and captures", item.url)
            raise DropItem(f"extraction failed: {type(exc).__name__}: {exc}", log_level="ERROR") from exc
        return self._route(item, result)

    def _profile(self, url: str) -> Profile | None:
        domain = host_name(url)
        if domain not in self._profile_cache:
            self._profile_cache[domain] = profile_for(url, self.profiles)
        return self._profile_cache[domain]

    def _route(self, item: PageItem, result: PageExtraction) -> ArticleItem:
        verdict = result.verdict
        if not verdict.is_article:
            self.stats.inc_value(f"newscrawl/parse/non_article/{verdict.reason}")
            raise DropItem(f"not an article ({verdict.reason}): {item.url}", log_level="DEBUG")
        self.stats.inc_value("newscrawl/parse/articles")
        for field_name in result.article.extraction_errors:
            self.stats.inc_value(f"newscrawl/parse/field_errors/{field_name}")
        return article_item(item.capture, result.article, item.requested_url)
