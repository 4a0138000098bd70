"""Expected article items of demo pages, derived from the site's content (never from the
extractor's output), so a test compares extraction with what the page really says."""

from __future__ import annotations

from typing import Any

from tests.site import pages
from tests.site.content import DemoArticle


def expected_article(article: DemoArticle, base: str) -> dict[str, Any]:
    url = base + pages.article_path(article)
    top, sub = article.section
    body_blocks = []
    for i, text in enumerate(article.paragraphs):
        body_blocks.append(text)
        if article.subheading and i + 1 == 3:
            body_blocks.append(article.subheading)
    if article.style == "classic":
        raw = f"Published {article.published.day} {article.published:%B %Y}"
        published = article.published.replace(hour=0, minute=0).isoformat()
        precision = "day"
    elif article.style == "jsonld":
        raw = article.published.astimezone(pages.MOSCOW).isoformat()
        published, precision = raw, "second"
    else:
        raw = article.published.isoformat().replace("+00:00", "Z")
        published, precision = article.published.isoformat(), "second"
    related = pages.related_url(base, article)
    expected: dict[str, Any] = {
        "url": url,
        "canonical_url": url,
        "site_name": pages.SITE_NAMES[article.style],
        "language": "en",
        "headline": article.headline,
        "description": article.standfirst,
        "breadcrumbs": [
            {"name": top, "url": base + pages.top_path(top)},
            {"name": sub, "url": base + pages.section_path(article.section)},
        ],
        "section": sub,
        "authors": [a.name for a in article.authors] or None,
        "date_published": published,
        "date_published_raw": raw,
        "date_precision": precision,
        "date_modified": article.modified.isoformat() if article.modified else None,
        "main_image": {"url": pages.image_url(base, article), "caption": article.caption, "credit": article.credit},
        "body": "\n\n".join(body_blocks),
        "tags": list(article.tags),
        "related_links": [{"text": article.related[0], "url": related}] if article.related and related else None,
        "comment_count": article.comment_count,
        "is_free": True if article.style == "jsonld" else None,
        "page_type": {"classic": None, "jsonld": "NewsArticle", "meta": "NewsArticle"}[article.style],
        "is_article": True,
    }
    return expected
