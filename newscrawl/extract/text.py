"""Small text helpers shared by the extractors: whitespace, element text, boilerplate names."""

from __future__ import annotations

import re
import unicodedata

from lxml import html

_WS = re.compile(r"\s+")
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "select", "button", "input", "textarea"}
)


def clean(text: str | None) -> str | None:
    """Collapse whitespace (also non-breaking and zero-width), strip; None for empty."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).replace("\u200b", "").replace("\ufeff", "")
    text = _WS.sub(" ", text).strip()
    return text or None


def element_text(el: html.HtmlElement) -> str:
    """Visible text of an element, skipping scripts and styles, whitespace collapsed."""
    parts: list[str] = []
    _collect(el, parts)
    return _WS.sub(" ", "".join(parts)).strip()


def _collect(el: html.HtmlElement, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in SKIP_TAGS:
        return
    if tag == "br":
        parts.append(" ")
    if el.text and tag:
        parts.append(el.text)
    for child in el:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)
    if tag in BLOCK_TAGS:
        parts.append(" ")


BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "figure", "figcaption", "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "header", "footer", "nav", "aside", "main"}
)


def attr_words(el: html.HtmlElement) -> str:
    """class, id, role and itemprop of an element in one lower-case string, for name matching."""
    return " ".join(
        v for v in (el.get("class"), el.get("id"), el.get("role"), el.get("itemprop"), el.get("aria-label")) if v
    ).lower()


def word_count(text: str | None) -> int:
    return len(re.findall(r"\w+", text or ""))
