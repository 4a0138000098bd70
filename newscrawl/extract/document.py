"""One decoded, parsed page shared by every extractor: the single HTML parse per page."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urljoin

from lxml import etree, html
from w3lib.encoding import html_to_unicode

from newscrawl.extract.structured import jsonld_scripts
from newscrawl.extract.text import BLOCK_TAGS, SKIP_TAGS, element_text

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NAME_ATTRS = ("class", "id", "role", "itemprop", "aria-label", "rel")
_NAMED_XPATH = "//*[" + " or ".join(f"@{a}" for a in _NAME_ATTRS) + "]"
# A plain etree parser: lxml.html's element classes add a Python lookup per element touched.
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=False)


def decode_html(body: bytes, headers: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(text, encoding): BOM, then Content-Type charset, then <meta charset>, then UTF-8/cp1252."""
    content_type = None
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            content_type = value
    encoding, text = html_to_unicode(content_type, body)
    return text, encoding


def parse_html(text: str) -> html.HtmlElement:
    """Parse text into an lxml tree; an empty or unparseable page yields an empty <html>."""
    text = _CONTROL.sub("", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        return etree.Element("html")
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return etree.Element("html")
    return root if root is not None else etree.Element("html")


_HIDDEN_XPATH = etree.XPath("//*[@hidden or contains(@style, 'none') or contains(@style, 'hidden')]")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _remove_keeping_tail(el: html.HtmlElement, parent: html.HtmlElement) -> None:
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def prepare_tree(tree: html.HtmlElement) -> None:
    """Make the tree's text the page's visible text, once, so that every extractor can read
    an element's text with lxml's C string() instead of walking it in Python: invisible
    elements (scripts, styles, forms controls) go, <br> becomes a newline and every block
    ends with a space, so words of adjacent blocks never run together. Elements hidden with
    the hidden attribute or an inline display:none are removed too."""
    etree.strip_elements(tree, *SKIP_TAGS, with_tail=False)
    for el in _HIDDEN_XPATH(tree):
        if _DISPLAY_NONE.search(el.get("style") or "") or el.get("hidden") is not None:
            parent = el.getparent()
            if parent is not None:
                _remove_keeping_tail(el, parent)
    for el in tree.iter(*BLOCK_TAGS, "br"):
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        else:
            el.tail = " " + (el.tail or "")


@dataclass
class Document:
    """A page: URL, headers, text and tree, with lazily built indexes extractors share."""

    url: str
    tree: html.HtmlElement
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    jsonld_scripts: list[str] = field(default_factory=list)
    """Raw JSON-LD script texts, kept before scripts are stripped from the tree."""

    @classmethod
    def from_bytes(cls, body: bytes, url: str, headers: Mapping[str, str] | None = None) -> Document:
        text, encoding = decode_html(body, headers)
        tree = parse_html(text)
        scripts = jsonld_scripts(tree)
        prepare_tree(tree)
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        return cls(url=url, tree=tree, headers=lowered, encoding=encoding, jsonld_scripts=scripts)

    @cached_property
    def base_url(self) -> str:
        base = self.tree.find(".//base[@href]")
        if base is not None:
            return urljoin(self.url, base.get("href", "").strip())
        return self.url

    def absolute(self, href: str | None) -> str | None:
        """Absolute http(s) URL for an href/src, None for javascript:, data:, mailto: and empties."""
        if not href:
            return None
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "data:", "mailto:", "tel:")):
            return None
        absolute = urljoin(self.base_url, href)
        return absolute if absolute.startswith(("http://", "https://")) else None

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """<meta> contents by lower-case name / property / itemprop / http-equiv, in page order."""
        index: dict[str, list[str]] = {}
        for el in self.tree.iter("meta"):
            content = el.get("content")
            if content is None:
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = el.get(attr)
                if key:
                    index.setdefault(key.strip().lower(), []).append(content.strip())
        return index

    def meta_first(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, []):
                if value:
                    return value
        return None

    @cached_property
    def named(self) -> list[tuple[html.HtmlElement, str]]:
        """(element, lower-case class/id/role/itemprop/aria-label/rel words) for every element
        that has any, in document order: one walk that the name-based extractors share
        (XPath contains()/translate() over the whole tree per field costs far more)."""
        index = []
        for el in self.tree.xpath(_NAMED_XPATH):
            attrib = el.attrib
            words = " ".join(attrib[k] for k in _NAME_ATTRS if k in attrib)
            if words:
                index.append((el, words.lower()))
        return index

    @cached_property
    def title(self) -> str | None:
        el = self.tree.find(".//title")
        if el is None:
            return None
        return element_text(el) or None
