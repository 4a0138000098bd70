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

    def exchange(self, exchange: Exchange, warcinfo_id: str | None) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """(response record, request record), linked by WARC-Concurrent-To."""
        response, request = exchange.response, exchange.request
        date = warc_date(exchange.fetch_time)
        resp_headers = {
            "WARC-Date": date,
            "WARC-Payload-Digest": "sha1:" + exchange.payload_digest,
        }
        if warcinfo_id:
            resp_headers["WARC-Warcinfo-ID"] = warcinfo_id
        if exchange.ip_address:
            resp_headers["WARC-IP-Address"] = exchange.ip_address
        if exchange.truncated:
            resp_headers["WARC-Truncated"] = exchange.truncated
        resp = self._builder.create_warc_record(
            response.url,
            "response",
            payload=BytesIO(response.body),
            length=len(response.body),
            warc_headers_dict=resp_headers,
            http_headers=response_http_headers(response),
        )
        req_headers = {
            "WARC-Date": date,
            "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID"),
        }
        if warcinfo_id:
            req_headers["WARC-Warcinfo-ID"] = warcinfo_id
        body = request.body or b""
        req = self._builder.create_warc_record(
            response.url,
            "request",
            payload=BytesIO(body),
            length=len(body),
            warc_headers_dict=req_headers,
            http_headers=request_http_headers(request),
        )
        return resp, req
