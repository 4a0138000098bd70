"""Is this page an article? Page evidence after the fetch: markup first, then the body."""

from __future__ import annotations

from dataclasses import dataclass

from newscrawl.extract.body import BodyResult
from newscrawl.items import Article

MIN_MARKUP_WORDS = 40
MIN_BODY_WORDS = 80
MIN_PARAGRAPHS = 3
MAX_LINK_DENSITY = 0.35


@dataclass(frozen=True)
class Verdict:
    is_article: bool
    reason: str
    """Why: markup / body for articles; empty / listing / short / markup_without_body otherwise."""


def classify(article: Article, body: BodyResult, has_article_markup: bool) -> Verdict:
    words = article.word_count or 0
    if has_article_markup:
        if words >= MIN_MARKUP_WORDS:
            return Verdict(True, "markup")
        return Verdict(False, "markup_without_body")
    if (
        words >= MIN_BODY_WORDS
        and body.paragraph_count >= MIN_PARAGRAPHS
        and body.link_density < MAX_LINK_DENSITY
        and article.headline
    ):
        return Verdict(True, "body")
    if words == 0:
        return Verdict(False, "empty")
    if body.link_density >= MAX_LINK_DENSITY:
        return Verdict(False, "listing")
    return Verdict(False, "short")
