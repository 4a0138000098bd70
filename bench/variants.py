"""Variants of the eval pages for robustness runs of the extractors: what sites we have not
seen look like.

- ``hashed``: every class and id word replaced by a meaningless token of its own (the same
  word gets the same token, as on a real site): CSS modules, styled-components and ASP.NET
  name elements "css-1dbjc4n" or "ctl00_Main_pnlText", and an extractor that leans on names
  ("article-body", "comments") must still find the text.
- ``removed``: no class or id attributes at all.
- ``unmarked``: no JSON-LD, no microdata and no <meta> but the charset: a small site without
  an SEO plugin, where every field must come from what the page shows.
"""

from __future__ import annotations

import hashlib

from lxml import etree, html

MODES = ("hashed", "removed", "unmarked")
_STRUCTURED = etree.XPath('//script[@type="application/ld+json"] | //meta[not(@charset) and not(@http-equiv)]')
_MICRODATA = ("itemprop", "itemscope", "itemtype", "itemid", "itemref")


def vary(page: str, mode: str) -> str:
    """The page as ``mode`` (one of ``MODES``) makes it; structure, text and other attributes stay."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: one of {MODES}")
    try:
        tree = html.fromstring(page)
    except (etree.ParserError, ValueError):
        return page
    if mode == "unmarked":
        for el in _STRUCTURED(tree):
            el.getparent().remove(el)
    for el in tree.iter(etree.Element):
        if mode == "unmarked":
            for attr in _MICRODATA:
                el.attrib.pop(attr, None)
            continue
        for attr in ("class", "id"):
            value = el.get(attr)
            if value is None:
                continue
            if mode == "removed":
                del el.attrib[attr]
            else:
                el.set(attr, " ".join("c" + hashlib.md5(word.encode("utf-8")).hexdigest()[:6] for word in value.split()))
    return etree.tostring(tree, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
