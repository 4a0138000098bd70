"""Small text helpers shared by the extractors: whitespace, element text, boilerplate names."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree, html

_WS = re.compile(r"\s+")
# an entity left in a value after it was unescaped: "Tom &amp;amp; Jerry", JSON-LD's
# "K&amp;uuml;hlt&amp;uuml;rme", escaped twice by their CMS
ESCAPED_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
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
    """Visible text of an element, whitespace collapsed (the tree is prepared by
    ``document.prepare_tree``: no scripts, spaces at block ends)."""
    return " ".join(string_value(el).split())


def string_value(el: html.HtmlElement) -> str:
    """All text under an element concatenated as it stands (what XPath string() gives;
    libxml2's text serializer costs half as much as evaluating an XPath per call)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "figure", "figcaption", "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "header", "footer", "nav", "aside", "main"}
)
