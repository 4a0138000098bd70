"""Build WARC request/response/warcinfo records from a Scrapy exchange (no file I/O here)."""

from __future__ import annotations

import base64
import hashlib
import http
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from typing import Iterable
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

WARC_VERSION = "WARC/1.1"
PROFILE_IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
DROPPED_REQUEST_HEADERS = frozenset({"proxy-authorization"})


def sha1_base32(data: bytes) -> str:
    """Digest in the WARC convention, without the "sha1:" label."""
    return base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warc_date(ts: float) -> str:
    return datetime_to_iso_date(
        datetime.fromtimestamp(ts, tz=timezone.utc).replace(tzinfo=None), use_micros=True
    )


@dataclass(frozen=True)
class Exchange:
    """One fetch as it will be archived."""

    request: Request
    response: Response
    fetch_time: float
    payload_digest: str
    truncated: str | None = None
    ip_address: str | None = None


@dataclass(frozen=True)
class OriginalCapture:
    """The earlier capture a revisit record refers to."""

    url: str
    warc_date: str
    record_id: str


def _header_lines(headers: Iterable[tuple[bytes, list[bytes]]]) -> list[tuple[str, str]]:
    lines = []
    for name, values in headers:
        key = name.decode("latin-1")
        for value in values:
            lines.append((key, value.decode("latin-1")))
    return lines


def response_http_headers(response: Response) -> StatusAndHeaders:
    """Status line and every header as received (repeats kept), made consistent with the
    stored body: a de-chunked body loses Transfer-Encoding (kept as X-Crawler-…) and
    Content-Length always equals the stored length."""
    lines = _header_lines(response.headers.items())
    fixed: list[tuple[str, str]] = []
    for key, value in lines:
        lower = key.lower()
        if lower == "transfer-encoding":
            fixed.append(("X-Crawler-Transfer-Encoding", value))
        elif lower == "content-length" and value.strip() != str(len(response.body)):
            fixed.append(("X-Crawler-Content-Length", value))
        else:
            fixed.append((key, value))
    if not any(k.lower() == "content-length" for k, _ in fixed):
        fixed.append(("Content-Length", str(len(response.body))))
    try:
        reason = http.HTTPStatus(response.status).phrase
    except ValueError:
        reason = "Unknown"
    protocol = response.protocol or "HTTP/1.1"
    if protocol.lower() == "http/2":
        protocol = "HTTP/2"
    return StatusAndHeaders(f"{response.status} {reason}", fixed, protocol=protocol)


def request_http_headers(request: Request) -> StatusAndHeaders:
    """Request line with path and query, and the headers sent, minus proxy credentials."""
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    lines = [
        (k, v)
        for k, v in _header_lines(request.headers.items())
        if k.lower() not in DROPPED_REQUEST_HEADERS
    ]
    if not any(k.lower() == "host" for k, _ in lines):
        lines.insert(0, ("Host", parts.netloc))
    # is_http_request: warcio splits the method off the request line and writes it back first
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", lines, is_http_request=True)


class RecordFactory:
    """Makes warcio records for exchanges; ids and digests are computed here, once."""

    def __init__(self) -> None:
        self._builder = RecordBuilder(warc_version=WARC_VERSION)

    def warcinfo(self, filename: str, info: dict[str, str]) -> ArcWarcRecord:
        return self._builder.create_warcinfo_record(filename, info)

    def _response_headers(self, exchange: Exchange, warcinfo_id: str | None) -> dict[str, str]:
        headers = {"WARC-Date": warc_date(exchange.fetch_time)}
        if warcinfo_id:
            headers["WARC-Warcinfo-ID"] = warcinfo_id
        if exchange.ip_address:
            headers["WARC-IP-Address"] = exchange.ip_address
        if exchange.truncated:
            headers["WARC-Truncated"] = exchange.truncated
        return headers

    def exchange(self, exchange: Exchange, warcinfo_id: str | None) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """(response record, request record), linked by WARC-Concurrent-To."""
        response = exchange.response
        resp = self._builder.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(response.body),
            length=len(response.body),
            warc_headers_dict={
                **self._response_headers(exchange, warcinfo_id),
                "WARC-Payload-Digest": "sha1:" + exchange.payload_digest,
            },
            http_headers=response_http_headers(response),
        )
        return resp, self.request(exchange, warcinfo_id, resp)

    def revisit(
        self, exchange: Exchange, warcinfo_id: str | None, original: OriginalCapture, profile: str
    ) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """(revisit record, request record): HTTP headers only, pointing at ``original``."""
        response = exchange.response
        record = self._builder.create_revisit_record(
            response.url,
            "sha1:" + exchange.payload_digest,
            original.url,
            original.warc_date,
            http_headers=response_http_headers(response),
            warc_headers_dict={
                **self._response_headers(exchange, warcinfo_id),
                "WARC-Refers-To": original.record_id,
            },
        )
        record.rec_headers.replace_header("WARC-Profile", profile)
        return record, self.request(exchange, warcinfo_id, record)

    def request(self, exchange: Exchange, warcinfo_id: str | None, response_record: ArcWarcRecord) -> ArcWarcRecord:
        request = exchange.request
        headers = {
            "WARC-Date": warc_date(exchange.fetch_time),
            "WARC-Concurrent-To": response_record.rec_headers.get_header("WARC-Record-ID"),
        }
        if warcinfo_id:
            headers["WARC-Warcinfo-ID"] = warcinfo_id
        body = request.body or b""
        return self._builder.create_warc_record(
            exchange.response.url,
            "request",
            payload=BytesIO(body),
            length=len(body),
            warc_headers_dict=headers,
            http_headers=request_http_headers(request),
        )

    def metadata(self, exchange: Exchange, response_record: ArcWarcRecord, fields: dict[str, str]) -> ArcWarcRecord:
        """Crawl facts about a capture (fetch time, discovery), as application/warc-fields."""
        body = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v not in (None, "")).encode("utf-8")
        return self._builder.create_warc_record(
            exchange.response.url,
            "metadata",
            payload=BytesIO(body),
            length=len(body),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Date": warc_date(exchange.fetch_time),
                "WARC-Concurrent-To": response_record.rec_headers.get_header("WARC-Record-ID"),
            },
        )
