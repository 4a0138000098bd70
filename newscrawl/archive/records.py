"""Build WARC request/response/warcinfo records from a Scrapy exchange (no file I/O here)."""

from __future__ import annotations

import hashlib
import http
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from io import BytesIO
from typing import Callable, Iterable
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date

WARC_VERSION = "WARC/1.1"
PROFILE_IDENTICAL_PAYLOAD = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
PROFILE_SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
DROPPED_REQUEST_HEADERS = frozenset({"proxy-authorization"})


_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_BASE32_PAIRS = [a + b for a in _BASE32 for b in _BASE32]  # 10 bits -> two characters
_SHIFTS = range(150, -1, -10)


def base32_digest(digest: bytes) -> str:
    """A 20-byte SHA-1 digest in RFC 4648 base32 (32 characters, no padding): what
    ``base64.b32encode`` gives, in 60 % of its time (it loops over 5-byte groups in Python)."""
    number = int.from_bytes(digest, "big")
    return "".join([_BASE32_PAIRS[(number >> shift) & 1023] for shift in _SHIFTS])


_EMPTY_SHA1 = "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"  # of b"": a GET's request record


def sha1_base32(data: bytes) -> str:
    """Digest in the WARC convention, without the "sha1:" label."""
    if not data:
        return _EMPTY_SHA1
    return base32_digest(hashlib.sha1(data).digest())


@lru_cache(maxsize=64)  # an exchange's three records share their date
def warc_date(ts: float) -> str:
    return datetime_to_iso_date(
        datetime.fromtimestamp(ts, tz=timezone.utc).replace(tzinfo=None), use_micros=True
    )


class _Headers(StatusAndHeaders):
    """StatusAndHeaders of (str, str) pairs as given: warcio's constructor re-checks and
    copies every pair (``headers_to_str_headers``), 7 µs a record, for pairs built here."""

    def __init__(self, statusline: str, headers: list[tuple[str, str]], protocol: str = "") -> None:
        self.statusline = statusline
        self.headers = headers
        self.protocol = protocol
        self.total_len = 0
        self.headers_buff = None


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
    """Scrapy headers (pass ``dict.items(headers)``: names are stored normalised already, and
    ``Headers.items`` normalises each again) as (name, value) pairs, repeats kept."""
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
    lines = _header_lines(dict.items(response.headers))
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
    return _Headers(f"{response.status} {reason}", fixed, protocol=protocol)


def request_http_headers(request: Request) -> StatusAndHeaders:
    """Request line with path and query, and the headers sent, minus proxy credentials."""
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    lines = [
        (k, v)
        for k, v in _header_lines(dict.items(request.headers))
        if k.lower() not in DROPPED_REQUEST_HEADERS
    ]
    if not any(k.lower() == "host" for k, _ in lines):
        lines.insert(0, ("Host", parts.netloc))
    # as warcio's is_http_request: the method is the "protocol", written first
    return _Headers(f"{target} HTTP/1.1", lines, protocol=request.method)


class RecordFactory:
    """Makes complete WARC records for exchanges: ids, digests, Content-Type and
    Content-Length are set here, once, so that writing a record is joining its bytes
    (``record_bytes``). warcio's builder and writer read every payload three times and
    base32-encode its digests in pure Python: 0.6 ms of the reactor's time per page. The
    headers, their order and the bytes are what warcio's RecordBuilder and WARCWriter make
    (tests/test_warc_bytes.py builds the same records with both and compares them byte for byte)."""

    def __init__(self, make_id: Callable[[], str] | None = None) -> None:
        self._make_id = make_id or _new_record_id

    def warcinfo(self, filename: str, info: dict[str, str], date: str | None = None) -> ArcWarcRecord:
        body = _warc_fields(info)
        headers = [("WARC-Type", "warcinfo"), ("WARC-Record-ID", self._make_id())]
        if filename:
            headers.append(("WARC-Filename", filename))
        headers.append(("WARC-Date", date or warc_date(time.time())))
        return _complete("warcinfo", headers, None, body, "application/warc-fields", payload_digest=False)

    def _response_headers(self, exchange: Exchange, warcinfo_id: str | None) -> list[tuple[str, str]]:
        headers = [("WARC-Date", warc_date(exchange.fetch_time))]
        if warcinfo_id:
            headers.append(("WARC-Warcinfo-ID", warcinfo_id))
        if exchange.ip_address:
            headers.append(("WARC-IP-Address", exchange.ip_address))
        if exchange.truncated:
            headers.append(("WARC-Truncated", exchange.truncated))
        return headers

    def _identify(self, headers: list[tuple[str, str]], record_type: str, uri: str) -> list[tuple[str, str]]:
        headers += [("WARC-Type", record_type), ("WARC-Record-ID", self._make_id()), ("WARC-Target-URI", uri)]
        return headers

    def exchange(self, exchange: Exchange, warcinfo_id: str | None) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """(response record, request record), linked by WARC-Concurrent-To."""
        response = exchange.response
        headers = self._response_headers(exchange, warcinfo_id)
        headers.append(("WARC-Payload-Digest", "sha1:" + exchange.payload_digest))
        resp = _complete(
            "response",
            self._identify(headers, "response", response.url),
            response_http_headers(response),
            response.body,
            "application/http; msgtype=response",
            payload_digest=False,
        )
        return resp, self.request(exchange, warcinfo_id, resp)

    def revisit(
        self, exchange: Exchange, warcinfo_id: str | None, original: OriginalCapture, profile: str
    ) -> tuple[ArcWarcRecord, ArcWarcRecord]:
        """(revisit record, request record): HTTP headers only, pointing at ``original``."""
        response = exchange.response
        headers = self._response_headers(exchange, warcinfo_id)
        headers.append(("WARC-Refers-To", original.record_id))
        headers = self._identify(headers, "revisit", response.url)
        headers += [
            ("WARC-Profile", profile),
            ("WARC-Refers-To-Target-URI", original.url),
            ("WARC-Refers-To-Date", original.warc_date),
            ("WARC-Payload-Digest", "sha1:" + exchange.payload_digest),
        ]
        record = _complete(
            "revisit", headers, response_http_headers(response), b"", "application/http; msgtype=response", payload_digest=False
        )
        return record, self.request(exchange, warcinfo_id, record)

    def request(self, exchange: Exchange, warcinfo_id: str | None, response_record: ArcWarcRecord) -> ArcWarcRecord:
        headers = [
            ("WARC-Date", warc_date(exchange.fetch_time)),
            ("WARC-Concurrent-To", response_record.rec_headers.get_header("WARC-Record-ID")),
        ]
        if warcinfo_id:
            headers.append(("WARC-Warcinfo-ID", warcinfo_id))
        return _complete(
            "request",
            self._identify(headers, "request", exchange.response.url),
            request_http_headers(exchange.request),
            exchange.request.body or b"",
            "application/http; msgtype=request",
        )

    def metadata(self, exchange: Exchange, response_record: ArcWarcRecord, fields: dict[str, str]) -> ArcWarcRecord:
        """Crawl facts about a capture (fetch time, discovery), as application/warc-fields."""
        headers = [
            ("WARC-Date", warc_date(exchange.fetch_time)),
            ("WARC-Concurrent-To", response_record.rec_headers.get_header("WARC-Record-ID")),
        ]
        return _complete(
            "metadata", self._identify(headers, "metadata", exchange.response.url), None, _warc_fields(fields),
            "application/warc-fields",
        )


def _warc_fields(fields: dict[str, str]) -> bytes:
    """application/warc-fields: "name: value" lines, empty values left out."""
    return "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v).encode("utf-8")


def _new_record_id() -> str:
    """A random (version 4) UUID URN, as ``uuid.uuid4`` makes it, without the UUID object."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}>"


def _complete(
    record_type: str,
    headers: list[tuple[str, str]],
    http_headers: StatusAndHeaders | None,
    payload: bytes,
    content_type: str,
    *,
    payload_digest: bool = True,
) -> ArcWarcRecord:
    """A record whose WARC headers are final: the payload digest (where warcio's builder
    adds one), the block digest, Content-Type and Content-Length, in warcio's order. A
    revisit's block is its HTTP headers only."""
    head = b""
    if http_headers is not None:
        http_headers.compute_headers_buffer()  # ASCII, non-ASCII values %-encoded, as warcio does
        head = http_headers.headers_buff
    if payload_digest:
        headers.append(("WARC-Payload-Digest", "sha1:" + sha1_base32(payload)))
    block = hashlib.sha1(head)
    in_block = payload if record_type != "revisit" else b""
    block.update(in_block)
    length = len(head) + len(in_block)
    headers += [
        ("WARC-Block-Digest", "sha1:" + base32_digest(block.digest())),
        ("Content-Type", content_type),
        ("Content-Length", str(length)),
    ]
    warc_headers = _Headers("", headers, protocol=WARC_VERSION)
    record = ArcWarcRecord("warc", record_type, warc_headers, BytesIO(payload), http_headers, content_type, length)
    record.payload_length = len(payload)
    return record


RECORD_END = b"\r\n\r\n"
# Content-Encodings whose bodies deflate cannot shrink; gzip and zstd bodies are also
# checked for their magic number (a server may label plain text "gzip")
COMPRESSED_ENCODINGS = frozenset({"gzip", "x-gzip", "br", "zstd", "deflate", "compress", "x-compress"})
_MAGIC = {"gzip": b"\x1f\x8b", "x-gzip": b"\x1f\x8b", "zstd": b"\x28\xb5\x2f\xfd"}


def record_head(record: ArcWarcRecord) -> bytes:
    """A record's WARC headers and HTTP headers: what precedes its payload in the file."""
    head = record.rec_headers.to_bytes()
    if record.http_headers is not None:
        head += record.http_headers.headers_buff
    return head


def record_payload(record: ArcWarcRecord) -> bytes:
    """The payload as stored (a revisit stores none)."""
    return record.raw_stream.getvalue() if record.rec_type != "revisit" else b""


def record_bytes(record: ArcWarcRecord) -> bytes:
    """A record made by ``RecordFactory`` as it goes into the file (before gzip)."""
    return b"".join([record_head(record), record_payload(record), RECORD_END])


def payload_is_compressed(record: ArcWarcRecord) -> bool:
    """Whether a response's payload is the body compressed by the server (Content-Encoding)."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    encoding = (record.http_headers.get_header("Content-Encoding") or "").strip().lower()
    if encoding not in COMPRESSED_ENCODINGS:
        return False
    magic = _MAGIC.get(encoding)
    return magic is None or record.raw_stream.getvalue().startswith(magic)
