"""Article extraction: pure code, HTML bytes + URL in, article out. No Scrapy, no network.

``extract_article`` is the public contract; ``extract_page`` also says whether the page is an
article at all (listing pages, tag pages and empty pages are recognised, not turned into junk).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from newscrawl.extract.classify import Verdict
from newscrawl.extract.engine import EXTRACTOR_VERSION, PageExtraction, extract_page
from newscrawl.items import Article


def extract_article(
    body: bytes, url: str, headers: Mapping[str, str] | None = None, *, fetched_at: datetime | None = None
) -> Article:
    """Extract the article of one page. ``headers`` (response headers) give the charset and
    language when the page does not; ``fetched_at`` bounds plausible dates. Never raises for
    bad input: problems are listed in ``Article.extraction_errors``."""
    return extract_page(body, url, headers, fetched_at=fetched_at).article


__all__ = ["EXTRACTOR_VERSION", "Article", "PageExtraction", "Verdict", "extract_article", "extract_page"]
