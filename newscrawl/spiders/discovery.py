"""Parsing of discovery documents (robots.txt, sitemaps, feeds): bytes in, URLs out."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO
from urllib.parse import urljoin

from lxml import etree
from protego import Protego
from scrapy.utils.gz import gunzip

GZIP_MAGIC = b"\x1f\x8b"
MAX_SITEMAP_BYTES = 200 * 1024 * 1024
"""Inflated bytes read from one sitemap: four times the sitemaps.org limit (50 MB), against
decompression bombs; sitemaps are streamed, so this bounds time, not memory."""
_XML_PARSER = etree.XMLParser(
    recover=True, resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False
)
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    is_sitemap: bool
    """True when the entry is another sitemap (from a sitemap index)."""
    lastmod: str | None = None
    news_title: str | None = None
    news_date: str | None = None
    """Google News sitemaps: news:publication_date."""
    news_keywords: str | None = None

    @property
    def published(self) -> str | None:
        return self.news_date or self.lastmod


def robots_sitemaps(body: bytes) -> list[str]:
    return list(Protego.parse(body.decode("utf-8", "replace")).sitemaps)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class _Capped(io.RawIOBase):
    """A stream that ends after ``limit`` bytes (a decompression bomb guard)."""

    def __init__(self, stream: BinaryIO, limit: int) -> None:
        self.stream, self.left = stream, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.stream.read(min(len(buffer), self.left))
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)


def sitemap_entries(body: bytes) -> Iterator[SitemapEntry]:
    """Entries of a sitemap, sitemap index or Google News sitemap (plain or gzip), streamed:
    gzip is inflated piece by piece as the parser reads (never whole in memory, never past
    MAX_SITEMAP_BYTES), elements are cleared as they are read, so memory stays flat for
    million-URL files, and entities are never expanded. Broken or cut-off XML yields the
    entries before the damage."""
    raw: BinaryIO = gzip.GzipFile(fileobj=BytesIO(body)) if body[:2] == GZIP_MAGIC else BytesIO(body)
    stream = _Capped(raw, MAX_SITEMAP_BYTES)
    events = etree.iterparse(
        stream, events=("end",), recover=True, resolve_entities=False, no_network=True,
        remove_comments=True, huge_tree=False,
    )
    try:
        for _, element in events:
            name = _local(element.tag)
            if name not in ("url", "sitemap"):
                continue
            fields: dict[str, str] = {}
            for child in element.iter():
                local = _local(child.tag)
                if local in ("loc", "lastmod", "title", "publication_date", "keywords") and child.text:
                    fields.setdefault(local, child.text.strip())
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
            if fields.get("loc"):
                yield SitemapEntry(
                    url=fields["loc"],
                    is_sitemap=name == "sitemap",
                    lastmod=fields.get("lastmod"),
                    news_title=fields.get("title"),
                    news_date=fields.get("publication_date"),
                    news_keywords=fields.get("keywords"),
                )
    except (etree.XMLSyntaxError, OSError, EOFError, zlib.error):  # broken XML, broken or cut-off gzip
        return


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str | None
    published: str | None = None


def feed_entries(body: bytes, base_url: str) -> list[FeedEntry]:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed."""
    if body[:2] == GZIP_MAGIC:
        body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
    try:
        root = etree.fromstring(body, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries = []
    for item in root.iter("item", f"{RSS1}item"):
        link = item.findtext("link") or item.findtext(f"{RSS1}link") or item.findtext("guid")
        title = item.findtext("title") or item.findtext(f"{RSS1}title")
        published = item.findtext("pubDate") or item.findtext(f"{DC}date")
        if link and link.strip():
            entries.append(FeedEntry(url=urljoin(base_url, link.strip()), title=(title or "").strip() or None, published=published))
    for entry in root.iter(f"{ATOM}entry"):
        href = None
        for link in entry.iter(f"{ATOM}link"):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                href = link.get("href")
                break
        title = entry.findtext(f"{ATOM}title")
        published = entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated")
        if href:
            entries.append(FeedEntry(url=urljoin(base_url, href.strip()), title=(title or "").strip() or None, published=published))
    return entries


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


def looks_like_feed(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def looks_like_sitemap(body: bytes) -> bool:
    if body[:2] == GZIP_MAGIC:
        return True
    head = body[:1024].lstrip().lower()
    return b"<urlset" in head or b"<sitemapindex" in head
