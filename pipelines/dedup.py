"""DedupPipeline: one row per article, whatever URL it was reached under."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.cpu import charged
from newscrawl.items import ArticleItem
from newscrawl.state import CrawlState, state_store


class DedupPipeline:
    """One row per article: drops an article whose id (hash of its canonical URL) or whose
    exact body fingerprint and headline were already stored in this run, or whose id was
    stored by an earlier run with the same body (a changed body is a new row: an update).
    Memory: a few dozen bytes per article of this run; earlier runs live in the state store.
    """

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        # 64-bit keys, not the ids and (fingerprint, headline) tuples themselves: ~60 bytes an
        # article instead of ~300 (a crawl's memory should grow by bytes per URL); two of a
        # crawl's articles share a key with odds of about n² / 2⁶⁵ (10⁻¹⁰ for 50,000)
        self.seen_ids: set[int] = set()
        self.seen_content: set[int] = set()
        self._store: CrawlState | None = None

    def open_spider(self) -> None:
        self._store = state_store(self.crawler) if self.crawler.settings.getbool("NEWSCRAWL_INCREMENTAL", True) else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    @charged("dedup")
    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        content_key = hash((item.fingerprint, (item.headline or "").casefold())) if item.fingerprint is not None else None
        id_key = hash(item.article_id) if item.article_id else None
        if id_key is not None and id_key in self.seen_ids:
            self.stats.inc_value("newscrawl/dedup/dropped/canonical_url")
            raise DropItem(f"duplicate article {item.article_id} at {item.url}", log_level="DEBUG")
        if content_key is not None and content_key in self.seen_content:
            self.stats.inc_value("newscrawl/dedup/dropped/content")
            raise DropItem(f"duplicate content at {item.url}", log_level="DEBUG")
        if self._store is not None and item.article_id:
            earlier = self._store.article(item.article_id)
            if earlier is not None and earlier.fingerprint == item.fingerprint:
                self.stats.inc_value("newscrawl/dedup/dropped/earlier_run")
                self._store.record_article(item.article_id, item.url, item.fingerprint, _epoch(item.date_published))
                raise DropItem(f"article {item.article_id} unchanged since an earlier run", log_level="DEBUG")
            if earlier is not None:
                self.stats.inc_value("newscrawl/dedup/updated")
        if item.article_id:
            self.seen_ids.add(id_key)
            if self._store is not None:
                self._store.record_article(item.article_id, item.url, item.fingerprint, _epoch(item.date_published))
                if item.requested_url and item.requested_url != item.url:
                    self._store.record_article(item.article_id, item.requested_url, item.fingerprint, _epoch(item.date_published))
        if content_key is not None:
            self.seen_content.add(content_key)
        return item


def _epoch(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None
