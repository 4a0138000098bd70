"""The Arrow schemas of the ``captures`` and ``articles`` tables (DESIGN §3), owned here.

Readers can pass these schemas to get stable types across files; changes are additive only
and bump ``SCHEMA_VERSION`` in ``newscrawl.items``.
"""

from __future__ import annotations

import pyarrow as pa

from newscrawl import __version__
from newscrawl.items import SCHEMA_VERSION

TIMESTAMP = pa.timestamp("ms", tz="UTC")


def _col(name: str, type_: pa.DataType, *args: object) -> pa.Field:
    """A column with its documentation in the field metadata ("doc"), readable by any tool
    that shows Parquet/Arrow field metadata; "required" before the doc makes it non-nullable."""
    *flags, doc = args
    nullable = not (flags and flags[0] == "required")
    return pa.field(name, type_, nullable=nullable, metadata={"doc": str(doc)})

CAPTURE_FIELDS: list[pa.Field] = [
    _col("url_surtkey", pa.string(), "SURT form of url (the sort key), as pywb / cdxj-indexer / Common Crawl compute it"),
    _col("url", pa.string(), "required", "final URL of the fetch (after redirects)"),
    _col("url_host_name", pa.string(), "host of url"),
    _col("url_host_registered_domain", pa.string(), "domain under its public suffix (bbc.co.uk); IPs as they are"),
    _col("fetch_time", TIMESTAMP, "when the fetch began (UTC), equal to the WARC-Date of its records"),
    _col("fetch_status", pa.int16(), "HTTP status; null when no response arrived"),
    _col("fetch_redirect", pa.string(), "absolute Location of a 3xx response"),
    _col("content_digest", pa.string(), "sha1 of the payload as sent, base32 (WARC-Payload-Digest without 'sha1:')"),
    _col("content_mime_type", pa.string(), "MIME type from the Content-Type header"),
    _col("content_charset", pa.string(), "charset from the Content-Type header"),
    _col("content_length", pa.int64(), "payload bytes as stored (still Content-Encoding'd if compressed)"),
    _col("content_truncated", pa.string(), "WARC-Truncated reason: length (cut at the size limit) or disconnect"),
    _col("warc_filename", pa.string(), "WARC file, relative to the output root"),
    _col("warc_record_offset", pa.int64(), "byte offset of the response/revisit record in warc_filename"),
    _col("warc_record_length", pa.int64(), "byte length of that (gzip member) record"),
    _col("warc_record_id", pa.string(), "WARC-Record-ID of that record"),
    _col("record_type", pa.string(), "response or revisit; null when nothing was archived"),
    _col("error", pa.string(), "why the fetch failed; null when a response arrived"),
    _col("discovery_method", pa.string(), "how the URL was found: start, robots, sitemap, feed, feed_link, link, redirect"),
    _col("discovery_source", pa.string(), "URL of the page, sitemap or feed it was found on"),
    _col("crawl_id", pa.string(), "the run that fetched it"),
    _col("worker_id", pa.string(), "the process that fetched it"),
    _col("spider", pa.string(), "the Scrapy spider"),
]

AUTHOR = pa.struct([("name", pa.string()), ("name_raw", pa.string()), ("url", pa.string())])
BREADCRUMB = pa.struct([("name", pa.string()), ("url", pa.string())])
IMAGE = pa.struct(
    [("url", pa.string()), ("caption", pa.string()), ("credit", pa.string()), ("alt", pa.string())]
)
LINK = pa.struct([("text", pa.string()), ("url", pa.string())])

ARTICLE_FIELDS: list[pa.Field] = [
    _col("article_id", pa.string(), "stable id: 128-bit BLAKE2b (hex) of the normalised canonical URL"),
    _col("requested_url", pa.string(), "URL as discovered, before redirects"),
    _col("canonical_url", pa.string(), "rel=canonical (or og:url, else url)"),
    _col("site_name", pa.string(), "publisher name"),
    _col("language", pa.string(), "ISO 639-1, declared by the page or detected from the body"),
    _col("headline", pa.string(), "main title"),
    _col("page_title", pa.string(), "raw <title>"),
    _col("description", pa.string(), "standfirst / summary written by the publisher"),
    _col("breadcrumbs", pa.list_(BREADCRUMB), "section path shown on the page, e.g. News > Russia"),
    _col("section", pa.string(), "the article's section"),
    _col("authors", pa.list_(AUTHOR), "bylines: clean name, name as written, profile URL"),
    _col("date_published", TIMESTAMP, "publication time (UTC; midnight UTC when only the day is given)"),
    _col("date_modified", TIMESTAMP, "last modification time (UTC)"),
    _col("date_published_raw", pa.string(), "the text date_published was read from"),
    _col("date_precision", pa.string(), "day / minute / second: how much of date_published the page gave"),
    _col("main_image", IMAGE, "lead image with caption, credit line and alt text"),
    _col("images", pa.list_(IMAGE), "all article images, the lead image first"),
    _col("body", pa.large_string(), "clean text, paragraphs separated by blank lines"),
    _col("body_html", pa.large_string(), "simplified article HTML (p, h2-h6, lists, quotes, tables, figures, links)"),
    _col("word_count", pa.int32(), "words in body"),
    _col("tags", pa.list_(pa.string()), "publisher's tags / keywords / topics"),
    _col("related_links", pa.list_(LINK), "related-article links inside or under the body"),
    _col("comment_count", pa.int32(), "comments shown on the page; 0 for 'no comments', null when not shown"),
    _col("is_free", pa.bool_(), "isAccessibleForFree / paywall signals"),
    _col("page_type", pa.string(), "JSON-LD @type, microdata itemtype or og:type"),
    _col("fingerprint", pa.int64(), "64-bit simhash of the body (signed), for near-duplicates"),
    _col("field_sources", pa.map_(pa.string(), pa.string()), "which method filled each field: profile, jsonld, microdata, opengraph, meta, dom, title, script, url, detected"),
    _col("extraction_errors", pa.map_(pa.string(), pa.string()), "per-field problems met while extracting"),
    _col("extractor_version", pa.string(), "version of the extraction code"),
    _col("schema_version", pa.int16(), "version of this schema (additive changes only)"),
]


def _with_metadata(fields: list[pa.Field], table: str) -> pa.Schema:
    return pa.schema(
        fields,
        metadata={
            "newscrawl.table": table,
            "newscrawl.schema_version": str(SCHEMA_VERSION),
            "newscrawl.producer": f"newscrawl {__version__}",
        },
    )


CAPTURES_SCHEMA = _with_metadata(CAPTURE_FIELDS, "captures")
ARTICLES_SCHEMA = _with_metadata(CAPTURE_FIELDS + ARTICLE_FIELDS, "articles")

SCHEMAS = {"captures": CAPTURES_SCHEMA, "articles": ARTICLES_SCHEMA}
