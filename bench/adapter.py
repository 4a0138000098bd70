"""newscrawl as a system of ../shared/eval/score.py: ``--system bench/adapter.py:newscrawl_system``."""

from __future__ import annotations

from typing import Any

from newscrawl.extract import extract_article

UTF8 = {"Content-Type": "text/html; charset=utf-8"}


def newscrawl_system(html: str, url: str) -> dict[str, Any]:
    article = extract_article(html.encode("utf-8"), url, UTF8)
    return {
        "headline": article.headline,
        "body": article.body,
        "authors": [a.name for a in article.authors or []],
        "date_published": article.date_published.isoformat() if article.date_published else None,
        "topics": list(article.tags or []),
    }
