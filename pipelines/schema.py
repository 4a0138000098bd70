"""The Arrow schemas of the ``captures`` and ``articles`` tables (DESIGN §3), owned here.

Readers can pass these schemas to get stable types across files; changes are additive only
and bump ``SCHEMA_VERSION`` in ``newscrawl.items``.
"""

from __future__ import annotations

import pyarrow as pa

from newscrawl import __version__
from newscrawl.items import SCHEMA_VERSION

TIMESTAMP = pa.timestamp("ms", tz="UTC")

CAPTURE_FIELDS: list[pa.Field] = [
    pa.field("url_surtkey", pa.string(), metadata={"doc": "SURT form of url, the sort key"}),
    pa.field("url", pa.string(), nullable=False, metadata={"doc": "final URL of the fetch"}),
    pa.field("url_host_name", pa.string()),
    pa.field("url_host_registered_domain", pa.string()),
    pa.field("fetch_time", TIMESTAMP, metadata={"doc": "when the fetch began, = WARC-Date"}),
    pa.field("fetch_status", pa.int16()),
    pa.field("fetch_redirect", pa.string(), metadata={"doc": "absolute Location of a 3xx"}),
    pa.field("content_digest", pa.string(), metadata={"doc": "sha1 base32 of payload as sent"}),
    pa.field("content_mime_type", pa.string()),
    pa.field("content_charset", pa.string()),
    pa.field("content_length", pa.int64(), metadata={"doc": "payload bytes as stored"}),
    pa.field("content_truncated", pa.string(), metadata={"doc": "WARC-Truncated reason"}),
    pa.field("warc_filename", pa.string(), metadata={"doc": "relative to the output root"}),
    pa.field("warc_record_offset", pa.int64()),
    pa.field("warc_record_length", pa.int64()),
    pa.field("warc_record_id", pa.string()),
    pa.field("record_type", pa.string(), metadata={"doc": "response / revisit"}),
    pa.field("error", pa.string(), metadata={"doc": "why the fetch failed, null if it did not"}),
    pa.field("discovery_method", pa.string()),
    pa.field("discovery_source", pa.string()),
    pa.field("crawl_id", pa.string()),
    pa.field("worker_id", pa.string()),
    pa.field("spider", pa.string()),
]

AUTHOR = pa.struct([("name", pa.string()), ("name_raw", pa.string()), ("url", pa.string())])
BREADCRUMB = pa.struct([("name", pa.string()), ("url", pa.string())])
IMAGE = pa.struct(
    [("url", pa.string()), ("caption", pa.string()), ("credit", pa.string()), ("alt", pa.string())]
)
LINK = pa.struct([("text", pa.string()), ("url", pa.string())])

ARTICLE_FIELDS: list[pa.Field] = [
    pa.field("article_id", pa.string(), metadata={"doc": "hash of the normalised canonical URL"}),
    pa.field("requested_url", pa.string(), metadata={"doc": "URL as discovered"}),
    pa.field("canonical_url", pa.string()),
    pa.field("site_name", pa.string()),
    pa.field("language", pa.string(), metadata={"doc": "ISO 639-1"}),
    pa.field("headline", pa.string()),
    pa.field("page_title", pa.string()),
    pa.field("description", pa.string(), metadata={"doc": "standfirst / summary"}),
    pa.field("breadcrumbs", pa.list_(BREADCRUMB)),
    pa.field("section", pa.string()),
    pa.field("authors", pa.list_(AUTHOR)),
    pa.field("date_published", TIMESTAMP),
    pa.field("date_modified", TIMESTAMP),
    pa.field("date_published_raw", pa.string(), metadata={"doc": "text the date was read from"}),
    pa.field("date_precision", pa.string(), metadata={"doc": "day / minute / second"}),
    pa.field("main_image", IMAGE),
    pa.field("images", pa.list_(IMAGE)),
    pa.field("body", pa.large_string(), metadata={"doc": "paragraphs separated by blank lines"}),
    pa.field("body_html", pa.large_string()),
    pa.field("word_count", pa.int32()),
    pa.field("tags", pa.list_(pa.string())),
    pa.field("related_links", pa.list_(LINK)),
    pa.field("comment_count", pa.int32()),
    pa.field("is_free", pa.bool_()),
    pa.field("page_type", pa.string()),
    pa.field("fingerprint", pa.int64(), metadata={"doc": "64-bit simhash of the body"}),
    pa.field("field_sources", pa.map_(pa.string(), pa.string())),
    pa.field("extraction_errors", pa.map_(pa.string(), pa.string())),
    pa.field("extractor_version", pa.string()),
    pa.field("schema_version", pa.int16()),
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
