"""Our WARC records are the bytes warcio's own builder and writer make of the same exchange.

``RecordFactory`` sets digests and lengths itself and the writer joins the bytes (for speed);
warcio is the reference: the same exchanges are built here with warcio's RecordBuilder (the
way newscrawl built them before) and written with its WARCWriter, with the same record ids
and dates, and the two must be identical byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import uuid
from datetime import datetime
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import Response
from warcio.archiveiterator import ArchiveIterator
from warcio.recordbuilder import RecordBuilder
from warcio.warcwriter import WARCWriter

from newscrawl.archive.records import (
    PROFILE_IDENTICAL_PAYLOAD,
    PROFILE_SERVER_NOT_MODIFIED,
    WARC_VERSION,
    Exchange,
    OriginalCapture,
    RecordFactory,
    base32_digest,
    record_bytes,
    request_http_headers,
    response_http_headers,
    sha1_base32,
    warc_date,
)

INFO_DATE = "2026-11-28T10:00:00.123456Z"
ORIGINAL = OriginalCapture("http://news.example/old", "2026-01-02T03:04:05.000006Z", "<urn:uuid:0000-earlier>")


def ids(prefix: str):
    counter = itertools.count(1)
    return lambda: f"<urn:uuid:{prefix}-{next(counter):04d}>"


class ReferenceBuilder(RecordBuilder):
    """warcio's builder with the ids and warcinfo date of the test (warcio draws them itself)."""

    def __init__(self) -> None:
        super().__init__(warc_version=WARC_VERSION)
        self.make_id = ids("x")

    def _make_warc_id(self) -> str:  # a classmethod in warcio, called on the instance
        return self.make_id()

    def curr_warc_date(self) -> str:
        return INFO_DATE


def reference_records(exchange: Exchange, kind: str) -> list:
    """The exchange's records as newscrawl built them with warcio (before it built its own)."""
    builder = ReferenceBuilder()
    response = exchange.response
    info = builder.create_warcinfo_record("NEWS-1.warc.gz", {"software": "newscrawl", "operator": "", "ip": "127.0.0.1"})
    warcinfo_id = info.rec_headers.get_header("WARC-Record-ID")
    headers = {"WARC-Date": warc_date(exchange.fetch_time), "WARC-Warcinfo-ID": warcinfo_id}
    if exchange.ip_address:
        headers["WARC-IP-Address"] = exchange.ip_address
    if exchange.truncated:
        headers["WARC-Truncated"] = exchange.truncated
    if kind == "response":
        primary = builder.create_warc_record(
            response.url, "response", payload=BytesIO(response.body), length=len(response.body),
            warc_headers_dict={**headers, "WARC-Payload-Digest": "sha1:" + exchange.payload_digest},
            http_headers=response_http_headers(response),
        )
    else:
        primary = builder.create_revisit_record(
            response.url, "sha1:" + exchange.payload_digest, ORIGINAL.url, ORIGINAL.warc_date,
            http_headers=response_http_headers(response),
            warc_headers_dict={**headers, "WARC-Refers-To": ORIGINAL.record_id},
        )
        primary.rec_headers.replace_header("WARC-Profile", kind)
    body = exchange.request.body or b""
    request = builder.create_warc_record(
        response.url, "request", payload=BytesIO(body), length=len(body),
        warc_headers_dict={
            "WARC-Date": warc_date(exchange.fetch_time),
            "WARC-Concurrent-To": primary.rec_headers.get_header("WARC-Record-ID"),
            "WARC-Warcinfo-ID": warcinfo_id,
        },
        http_headers=request_http_headers(exchange.request),
    )
    fields = b"fetchTimeMs: 12\r\nvia: http://news.example/\r\n"
    metadata = builder.create_warc_record(
        response.url, "metadata", payload=BytesIO(fields), length=len(fields),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Date": warc_date(exchange.fetch_time),
            "WARC-Concurrent-To": primary.rec_headers.get_header("WARC-Record-ID"),
        },
    )
    return [info, primary, request, metadata]


def our_records(exchange: Exchange, kind: str) -> list:
    factory = RecordFactory(make_id=ids("x"))
    info = factory.warcinfo("NEWS-1.warc.gz", {"software": "newscrawl", "operator": "", "ip": "127.0.0.1"}, date=INFO_DATE)
    warcinfo_id = info.rec_headers.get_header("WARC-Record-ID")
    if kind == "response":
        primary, request = factory.exchange(exchange, warcinfo_id)
    else:
        primary, request = factory.revisit(exchange, warcinfo_id, ORIGINAL, kind)
    metadata = factory.metadata(exchange, primary, {"fetchTimeMs": "12", "via": "http://news.example/", "empty": ""})
    return [info, primary, request, metadata]


def warcio_bytes(records: list) -> bytes:
    out = BytesIO()
    writer = WARCWriter(out, gzip=False, warc_version=WARC_VERSION)
    for record in records:
        writer.write_record(record)
    return out.getvalue()


def make_exchange(
    body: bytes = b"<html><p>Council sets the rates.</p></html>",
    headers: list[tuple[str, str]] | None = None,
    *,
    method: str = "GET",
    request_body: bytes = b"",
    status: int = 200,
    ip: str | None = "127.0.0.1",
    truncated: str | None = None,
) -> Exchange:
    url = "http://news.example/2026/11/28/rates.html?page=2"
    request = Request(url, method=method, body=request_body, headers={"User-Agent": "newscrawl", "Cookie": "a=1"})
    response = Response(url, status=status, headers=headers or [("Content-Type", "text/html")], body=body, request=request)
    return Exchange(
        request=request, response=response, fetch_time=1764324000.5, payload_digest=sha1_base32(body),
        truncated=truncated, ip_address=ip,
    )


CASES = {
    "plain page": make_exchange(),
    "repeated and chunked headers": make_exchange(
        headers=[("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("Transfer-Encoding", "chunked"), ("Content-Length", "99")]
    ),
    "non-ASCII header value": make_exchange(headers=[("Content-Disposition", "inline; filename=\"Gemeinderäte.html\""), ("X-Title", "Zürich")]),
    "truncated, no IP": make_exchange(body=b"x" * 70_000, ip=None, truncated="length"),
    "empty body": make_exchange(body=b"", status=204),
    "not modified": make_exchange(body=b"", status=304),
    "POST with a body": make_exchange(method="POST", request_body=b"q=council&page=2"),
    "binary body": make_exchange(body=bytes(range(256)) * 40, headers=[("Content-Type", "image/png")]),
}


@pytest.mark.parametrize("kind", ["response", PROFILE_IDENTICAL_PAYLOAD, PROFILE_SERVER_NOT_MODIFIED])
@pytest.mark.parametrize("case", list(CASES))
def test_records_are_the_bytes_warcio_builds_and_writes(case: str, kind: str) -> None:
    exchange = CASES[case]
    ours = b"".join(record_bytes(record) for record in our_records(exchange, kind))
    assert ours == warcio_bytes(reference_records(exchange, kind))
    records = list(ArchiveIterator(BytesIO(ours), check_digests=True))  # raises on a wrong digest
    assert [r.rec_type for r in records] == ["warcinfo", "response" if kind == "response" else "revisit", "request", "metadata"]


def test_record_headers_answer_what_indexes_and_pointers_read() -> None:
    """The records the factory hands out carry their final headers (the CDXJ line and the
    state store read them before anything is written)."""
    exchange = CASES["plain page"]
    primary, request = RecordFactory().exchange(exchange, "<urn:uuid:info>")
    assert primary.rec_headers.get_header("WARC-Payload-Digest") == "sha1:" + exchange.payload_digest
    assert primary.rec_headers.get_header("Content-Length") == str(len(primary.http_headers.headers_buff) + len(exchange.response.body))
    assert primary.http_headers.get_statuscode() == "200"
    assert request.rec_headers.get_header("WARC-Concurrent-To") == primary.rec_headers.get_header("WARC-Record-ID")
    assert primary.rec_headers.get_header("WARC-Record-ID") != request.rec_headers.get_header("WARC-Record-ID")


@given(st.binary(min_size=20, max_size=20))
def test_base32_digest_is_rfc4648_base32(digest: bytes) -> None:
    assert base32_digest(digest) == base64.b32encode(digest).decode("ascii")


def test_sha1_base32_of_known_payloads() -> None:
    assert sha1_base32(b"") == base64.b32encode(hashlib.sha1(b"").digest()).decode() == "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"


def test_record_ids_are_random_uuid_urns() -> None:
    ids = [RecordFactory()._make_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for record_id in ids:
        assert record_id.startswith("<urn:uuid:") and record_id.endswith(">")
        parsed = uuid.UUID(record_id[len("<urn:uuid:") : -1])
        assert str(parsed) == record_id[len("<urn:uuid:") : -1]
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2200, 1, 1)), st.booleans())
def test_cdxj_timestamps_are_warcios(when: datetime, micros: bool) -> None:
    from warcio.timeutils import datetime_to_iso_date, iso_date_to_timestamp

    from newscrawl.archive.cdxj import _timestamp14

    iso = datetime_to_iso_date(when, use_micros=micros)
    assert _timestamp14(iso) == iso_date_to_timestamp(iso)


def test_cdxj_timestamps_of_other_layouts_go_through_warcio() -> None:
    from newscrawl.archive.cdxj import _timestamp14

    assert _timestamp14("2026-11-29") == "20261129000000"
    assert _timestamp14("2026-11-29T02:03Z") == "20261129020300"
