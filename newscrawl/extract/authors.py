"""Authors from JSON-LD, microdata, meta tags and bylines, each with the raw text kept."""

from __future__ import annotations

import re
from typing import Any

from newscrawl.extract.document import Document
from newscrawl.extract.structured import JsonLd, MicrodataItem, as_list, nested_item, prop_value, text_value, types_of
from newscrawl.extract.text import clean, element_text
from newscrawl.items import Author

_BY = re.compile(r"^(?:by|written by|words by|von|por|par|di|door|av|autor(?:es)?|author(?:s)?)\s*:?\s+", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\by\b|\bet\b|\|)\s*", re.I)
_TRAILING_ROLE = re.compile(r"\s*[-–—|,]\s*(?:staff writer|correspondent|reporter|editor|contributor).*$", re.I)
_BYLINE_WORDS = re.compile(r"byline|author")
MAX_NAME_WORDS = 6


def clean_name(raw: str | None) -> str | None:
    """"By JANE DOE" -> "Jane Doe"; None for things that are not a person's name."""
    name = clean(raw)
    if not name:
        return None
    name = _TRAILING_ROLE.sub("", _BY.sub("", name)).strip(" ,;:|-")
    if not name or name.startswith(("http://", "https://")) or "@" in name:
        return None
    if len(name.split()) > MAX_NAME_WORDS or any(ch.isdigit() for ch in name):
        return None
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


def split_names(raw: str) -> list[str]:
    return [part for part in _SPLIT.split(_BY.sub("", raw.strip())) if part and part.strip()]


def _dedupe(authors: list[Author]) -> list[Author]:
    seen: set[str] = set()
    out = []
    for author in authors:
        key = author.name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(author)
    return out


def from_jsonld(doc: Document, jsonld: JsonLd, node: dict[str, Any] | None) -> list[Author]:
    if not node:
        return []
    publisher = jsonld.resolve(node.get("publisher"))
    publisher_name = text_value(publisher.get("name")) if isinstance(publisher, dict) else None
    authors = []
    for value in as_list(node.get("author") or node.get("creator")):
        value = jsonld.resolve(value)
        if isinstance(value, dict):
            if "organization" in types_of(value) and text_value(value.get("name")) == publisher_name:
                continue  # the publisher named as author is not a byline
            raw = text_value(value.get("name"))
            url = doc.absolute(text_value(value.get("url") or value.get("sameAs")))
        else:
            raw, url = text_value(value), None
        for part in split_names(raw or ""):
            name = clean_name(part)
            if name:
                authors.append(Author(name=name, name_raw=raw, url=url))
    return _dedupe(authors)


def from_microdata(doc: Document, item: MicrodataItem | None) -> list[Author]:
    if item is None:
        return []
    authors = []
    for el in item.elements("author") + item.elements("creator"):
        nested = nested_item(el)
        if nested is not None:
            raw = nested.value("name") or clean(element_text(el))
            url = doc.absolute(nested.value("url"))
        else:
            raw = prop_value(el)
            url = doc.absolute(el.get("href")) if el.tag == "a" else None
        for part in split_names(raw or ""):
            name = clean_name(part)
            if name:
                authors.append(Author(name=name, name_raw=raw, url=url))
    return _dedupe(authors)


def from_meta(doc: Document) -> list[Author]:
    authors = []
    for key in ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author", "sailthru.author", "byl"):
        for raw in doc.meta.get(key, []):
            if raw.startswith(("http://", "https://")):
                continue
            for part in split_names(raw):
                name = clean_name(part)
                if name:
                    authors.append(Author(name=name, name_raw=raw))
        if authors:
            break
    return _dedupe(authors)


def from_byline(doc: Document) -> list[Author]:
    """Visible bylines: author links first, else the byline text split into names."""
    for el, words in doc.named:
        if not _BYLINE_WORDS.search(words) or el.tag in ("meta", "link", "body", "html", "article", "main"):
            continue
        raw = clean(element_text(el))
        if not raw or len(raw) > 120:
            continue
        links = [a for a in el.iter("a") if clean(element_text(a))]
        authors = []
        if links:
            for a in links:
                name = clean_name(element_text(a))
                if name:
                    authors.append(Author(name=name, name_raw=raw, url=doc.absolute(a.get("href"))))
        else:
            for part in split_names(raw):
                name = clean_name(part)
                if name:
                    authors.append(Author(name=name, name_raw=raw))
        if authors:
            return _dedupe(authors)
    return []
