"""The items that flow through newscrawl and the rows they become.

``Capture`` holds the fetch-level columns (Common Crawl index names) shared by the
``captures`` and ``articles`` tables; ``Article`` holds what extraction understood of a page;
``ArticleItem`` is both, flat, one ``articles`` row. ``PageItem`` is the raw page a spider
yields. Only ``url`` is required; every other field is optional and ``None`` means absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SCHEMA_VERSION = 1


@dataclass(kw_only=True)
class Author:
    name: str
    """Clean display name ("Jane Doe")."""
    name_raw: str | None = None
    """The name as the page wrote it ("By JANE DOE, Moscow")."""
    url: str | None = None
    """Author page or profile URL."""


@dataclass(kw_only=True)
class Breadcrumb:
    name: str
    url: str | None = None


@dataclass(kw_only=True)
class Image:
    url: str
    caption: str | None = None
    credit: str | None = None
    """Credit line as shown, e.g. "Photo: Twitter/@RusEmbIran"."""
    alt: str | None = None


@dataclass(kw_only=True)
class Link:
    text: str
    url: str


@dataclass(kw_only=True)
class Capture:
    """One HTTP exchange or failed fetch: a ``captures`` row and the fetch part of an article."""

    url: str
    """Final URL of the response (after redirects)."""
    url_surtkey: str | None = None
    url_host_name: str | None = None
    url_host_registered_domain: str | None = None
    fetch_time: datetime | None = None
    """When the fetch began (UTC), equal to the WARC-Date of its records."""
    fetch_status: int | None = None
    fetch_redirect: str | None = None
    """Absolute Location target of a 3xx response."""
    content_digest: str | None = None
    """SHA-1 of the payload as sent, base32, as in WARC-Payload-Digest without "sha1:"."""
    content_mime_type: str | None = None
    content_charset: str | None = None
    content_length: int | None = None
    """Payload bytes as stored (still Content-Encoding'd if the server compressed it)."""
    content_truncated: str | None = None
    """WARC-Truncated reason ("length", "disconnect", ...) or None."""
    warc_filename: str | None = None
    """Path of the WARC file relative to OUTPUT_ROOT (its final, published name)."""
    warc_record_offset: int | None = None
    warc_record_length: int | None = None
    warc_record_id: str | None = None
    record_type: str | None = None
    """"response" or "revisit"; None when nothing was archived (failed fetch)."""
    error: str | None = None
    """Short reason a fetch failed, None when a response arrived."""
    discovery_method: str | None = None
    """How the URL was found: start, robots, sitemap, feed, link, redirect."""
    discovery_source: str | None = None
    """URL of the page, sitemap or feed it was found on."""
    crawl_id: str | None = None
    worker_id: str | None = None
    spider: str | None = None


@dataclass(kw_only=True)
class Article:
    """What extraction understood of an article page (the article-level columns)."""

    url: str
    article_id: str | None = None
    """Stable id: hash of the normalised canonical URL."""
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None
    """ISO 639-1 code."""
    headline: str | None = None
    page_title: str | None = None
    description: str | None = None
    """Standfirst / summary written by the publisher."""
    breadcrumbs: list[Breadcrumb] | None = None
    section: str | None = None
    authors: list[Author] | None = None
    date_published: datetime | None = None
    """Timezone-aware; UTC when the page gives no zone."""
    date_modified: datetime | None = None
    date_published_raw: str | None = None
    """The text the publication date was read from ("Published 19 January 2022")."""
    date_precision: str | None = None
    """"day", "minute" or "second": how much of date_published the page really gave."""
    main_image: Image | None = None
    images: list[Image] | None = None
    body: str | None = None
    """Clean text, paragraphs separated by blank lines."""
    body_html: str | None = None
    """Simplified article HTML: p, h2-h4, ul/ol/li, blockquote, pre, figure, a."""
    word_count: int | None = None
    tags: list[str] | None = None
    related_links: list[Link] | None = None
    comment_count: int | None = None
    is_free: bool | None = None
    page_type: str | None = None
    """JSON-LD @type or og:type of the page."""
    fingerprint: int | None = None
    """64-bit simhash of the body (signed), for near-duplicate detection."""
    field_sources: dict[str, str] = field(default_factory=dict)
    """Which method filled each field: jsonld, microdata, opengraph, meta, dom, url, header."""
    extraction_errors: dict[str, str] = field(default_factory=dict)
    """Per-field problems met while extracting (the field is then None or a fallback)."""
    extractor_version: str | None = None
    schema_version: int = SCHEMA_VERSION


@dataclass(kw_only=True)
class ArticleItem(Capture, Article):
    """One ``articles`` row: the capture of the page plus the extracted article."""

    url: str
    requested_url: str | None = None
    """The URL as discovered, before redirects."""


@dataclass(kw_only=True)
class PageItem:
    """A fetched HTML page, as the spider saw it, before any article parsing."""

    url: str
    requested_url: str
    status: int
    headers: dict[str, str]
    """Response headers (first value of each, lower-cased names) for charset and metadata."""
    body: bytes = field(repr=False)
    """Decoded transfer bytes (Content-Encoding already removed by Scrapy)."""
    capture: Capture = field(repr=False)
    extracted: Any = field(default=None, repr=False, compare=False)
    """The parse pipeline's ``PageExtraction`` of the page, or the exception extraction raised,
    when the spider had it extracted already (for its links); None: not extracted yet."""
