"""DedupPipeline: one row per article, whatever URL it was reached under."""

from __future__ import annotations

from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newscrawl.items import ArticleItem


class DedupPipeline:
    """Drops an article whose id (hash of its canonical URL) or whose exact body fingerprint
    and headline were already stored in this run. Memory: a few dozen bytes per article.

    Repeats across runs are the state store's job (incremental crawls).
    """

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.seen_ids: set[str] = set()
        self.seen_content: set[tuple[int, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        content_key = (item.fingerprint, (item.headline or "").casefold()) if item.fingerprint is not None else None
        if item.article_id in self.seen_ids:
            self.stats.inc_value("newscrawl/dedup/dropped/canonical_url")
            raise DropItem(f"duplicate article {item.article_id} at {item.url}", log_level="DEBUG")
        if content_key is not None and content_key in self.seen_content:
            self.stats.inc_value("newscrawl/dedup/dropped/content")
            raise DropItem(f"duplicate content at {item.url}", log_level="DEBUG")
        if item.article_id:
            self.seen_ids.add(item.article_id)
        if content_key is not None:
            self.seen_content.add(content_key)
        return item
