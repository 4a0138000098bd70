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
from pipelines.extract_pool import BrokenWorker, ExtractionPool, workers_for

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
    Extraction runs in a pool of worker processes (NEWSCRAWL_EXTRACT_WORKERS, default one per
    core beyond the reactor's) or, with 0 workers, in the crawl process. The news spider calls
    ``extract(item, links=True)`` before it hands a page on, to follow the links found in the
    same parse: such an item arrives with its extraction (``PageItem.extracted``), which is
    routed here, not repeated.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.profiles: dict[str, str] = dict(crawler.settings.getdict("NEWSCRAWL_PROFILES"))
        self._profile_cache: dict[str | None, Profile | None] = {}
        self.workers = workers_for(crawler.settings.get("NEWSCRAWL_EXTRACT_WORKERS", "auto"))
        self.pool: ExtractionPool | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParsePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        """Profiles named in the sites file apply to their sites' domains."""
        for site in getattr(self.crawler.spider, "sites", []) or []:
            if site.profile:
                for domain in site.allowed_domains:
                    self.profiles.setdefault(domain, site.profile)
        if self.workers:
            gc_threshold = self.crawler.settings.getint("NEWSCRAWL_GC_THRESHOLD", 0)
            self.pool = ExtractionPool(self.workers, self.profiles, gc_threshold=gc_threshold)
            self.stats.set_value("newscrawl/parse/workers", self.workers)

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.stats.set_value("newscrawl/parse/workers_replaced", self.pool.replaced)
            self.pool = None

    async def extract(self, item: PageItem, *, links: bool = False, link_depth: int | None = None) -> PageExtraction:
        """The page's extraction (and, with ``links``, its links) from a worker, or from this
        process without workers. Raises what extraction raised (``BrokenWorker`` for a page
        that takes its worker down). ``link_depth``, the crawl depth of the page's links: a
        worker leaves out those it reported before at that depth or less
        (``extract_pool.ReportedLinks``; in this process the spider's own index does that)."""
        if self.pool is None:
            return self._extract_here(item, links)
        result, worker_ms = await self.pool.extract(
            item.body, item.url, item.headers, item.capture.fetch_time, links, link_depth=link_depth
        )
        self.stats.inc_value("newscrawl/cpu_ms/extract_workers", worker_ms, start=0.0)
        return result

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, PageItem):
            return item
        self.stats.inc_value("newscrawl/parse/pages")
        try:
            result = item.extracted if item.extracted is not None else await self.extract(item)
            if isinstance(result, BaseException):  # the spider's call to extract() raised it
                raise result
        except Exception as exc:  # the extractor promises not to raise; if it does, count and explain
            self.stats.inc_value(f"newscrawl/parse/failed/{type(exc).__name__}")
            logger.error("Extraction failed on %s (%s: %s); the page stays in the WARC and captures",
                         item.url, type(exc).__name__, exc, exc_info=not isinstance(exc, BrokenWorker))
            raise DropItem(f"extraction failed: {type(exc).__name__}: {exc}", log_level="ERROR") from exc
        finally:
            item.extracted = None  # the item's article is all that goes on
        return self._route(item, result)

    @charged("extract")
    def _extract_here(self, item: PageItem, links: bool = False) -> PageExtraction:
        return extract_page(item.body, item.url, item.headers, fetched_at=item.capture.fetch_time,
                            profile=self._profile(item.url), links=links)

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
