"""Build ``Capture`` rows (the fetch-level columns) from a Scrapy exchange or failure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from scrapy import Request
from scrapy.http import Response

from newscrawl.archive.writer import WarcLocation
from newscrawl.items import Capture
from newscrawl.urls import host_name, registered_domain, surt_key

DISCOVERY_METHOD_KEY = "discovery_method"
DISCOVERY_SOURCE_KEY = "discovery_source"


@dataclass(frozen=True)
class RunIdentity:
    """Who produced a row: the same for every row of one process."""

    crawl_id: str
    worker_id: str
    spider: str


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """("text/html; charset=UTF-8") -> ("text/html", "utf-8")."""
    if not value:
        return None, None
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return (mime.strip().lower() or None), charset


def _discovery(request: Request) -> tuple[str | None, str | None]:
    method = request.meta.get(DISCOVERY_METHOD_KEY)
    source = request.meta.get(DISCOVERY_SOURCE_KEY)
    if method is None and request.meta.get("redirect_urls"):
        method = "redirect"
    return method, source


def _base(url: str, fetch_time: float, run: RunIdentity, request: Request) -> Capture:
    host = host_name(url)
    method, source = _discovery(request)
    return Capture(
        url=url,
        url_surtkey=surt_key(url),
        url_host_name=host,
        url_host_registered_domain=registered_domain(host),
        fetch_time=datetime.fromtimestamp(fetch_time, tz=timezone.utc),
        discovery_method=method,
        discovery_source=source,
        crawl_id=run.crawl_id,
        worker_id=run.worker_id,
        spider=run.spider,
    )


def capture_from_response(
    request: Request,
    response: Response,
    *,
    fetch_time: float,
    payload_digest: str,
    truncated: str | None,
    location: WarcLocation | None,
    run: RunIdentity,
) -> Capture:
    capture = _base(response.url, fetch_time, run, request)
    mime, charset = parse_content_type(
        (response.headers.get(b"Content-Type") or b"").decode("latin-1") or None
    )
    location_header = response.headers.get(b"Location")
    if 300 <= response.status < 400 and location_header:
        capture.fetch_redirect = response.urljoin(location_header.decode("latin-1"))
    capture.fetch_status = response.status
    capture.content_digest = payload_digest
    capture.content_mime_type = mime
    capture.content_charset = charset
    capture.content_length = len(response.body)
    capture.content_truncated = truncated
    if location is not None:
        capture.warc_filename = location.filename
        capture.warc_record_offset = location.offset
        capture.warc_record_length = location.length
        capture.warc_record_id = location.record_id
        capture.record_type = "response"
    return capture


def capture_from_failure(request: Request, error: str, *, fetch_time: float, run: RunIdentity) -> Capture:
    capture = _base(request.url, fetch_time, run, request)
    capture.error = error
    return capture
