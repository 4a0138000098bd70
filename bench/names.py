"""Pages whose class and id names say nothing, for a robustness run of the extractors.

CSS modules, styled-components and ASP.NET give many real sites names like "css-1dbjc4n" or
"ctl00_Main_pnlText": an extractor that leans on names ("article-body", "comments") must still
find the text there. ``rename`` keeps the page's structure and replaces every class and id
word with a meaningless token of its own (the same word gets the same token, as on a real
site) or removes the attributes.
"""

from __future__ import annotations

import hashlib

from lxml import etree, html

MODES = ("hashed", "removed")


def rename(page: str, mode: str) -> str:
    """The page with its class/id words hashed ("hashed") or its class/id attributes gone
    ("removed"); itemprop, role and the rest stay."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}: one of {MODES}")
    try:
        tree = html.fromstring(page)
    except (etree.ParserError, ValueError):
        return page
    for el in tree.iter(etree.Element):
        for attr in ("class", "id"):
            value = el.get(attr)
            if value is None:
                continue
            if mode == "removed":
                del el.attrib[attr]
            else:
                el.set(attr, " ".join("c" + hashlib.md5(word.encode("utf-8")).hexdigest()[:6] for word in value.split()))
    return etree.tostring(tree, encoding="unicode", method="html", doctype="<!DOCTYPE html>")
