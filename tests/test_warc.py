"""WARC records and files: built from real Scrapy requests/responses, read back with warcio."""

from __future__ import annotations

import gzip
import random
import subprocess
import sys
import zlib
from datetime import datetime, timezone
from ipaddress import ip_address
from io import BytesIO
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.settings import Settings
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from newscrawl.archive.extension import CAPTURE_META_KEY, WarcCaptureExtension
from newscrawl.archive.gzip_engines import GzipCodec, GzipSettingError, warc_gzip
from newscrawl.archive.records import (
    Exchange,
    RecordFactory,
    payload_is_compressed,
    record_bytes,
    request_http_headers,
    response_http_headers,
    sha1_base32,
)
from newscrawl.archive.writer import RotatingWarcWriter, WarcLocation
from newscrawl.state import StateStore


def exchange(url: str = "http://news.example/a?b=1&c=2", body: bytes = b"<html>hi</html>", headers=None) -> Exchange:
    request = Request(
        url,
        headers={"Cookie": "a=1", "Referer": "http://news.example/", "Proxy-Authorization": "Basic c2VjcmV0"},
    )
    response = Response(url, status=200, headers=headers or {"Content-Type": "text/html"}, body=body, request=request)
    return Exchange(request=request, response=response, fetch_time=1642550400.25, payload_digest=sha1_base32(body))


def read_all(path: Path) -> list:
    with open(path, "rb") as f:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(f)
        ]


def test_request_record_keeps_path_query_and_sent_headers_but_not_proxy_credentials() -> None:
    headers = request_http_headers(exchange().request)
    text = headers.to_str()
    assert text.startswith("GET /a?b=1&c=2 HTTP/1.1\r\n")
    assert headers.get_header("Host") == "news.example"
    assert headers.get_header("Cookie") == "a=1"
    assert headers.get_header("Referer") == "http://news.example/"
    assert headers.get_header("Proxy-Authorization") is None


def test_response_record_keeps_repeated_headers_and_fixes_lengths() -> None:
    ex = exchange(
        headers=[
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
            ("Transfer-Encoding", "chunked"),
            ("Content-Length", "999"),
        ]
    )
    headers = response_http_headers(ex.response)
    assert headers.statusline == "200 OK"
    assert [v for k, v in headers.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert headers.get_header("Transfer-Encoding") is None
    assert headers.get_header("X-Crawler-Transfer-Encoding") == "chunked"
    assert headers.get_header("X-Crawler-Content-Length") == "999"
    assert headers.get_header("Content-Length") == str(len(ex.response.body))


def test_writer_links_records_and_reports_locations(tmp_path: Path) -> None:
    factory = RecordFactory()
    writer = RotatingWarcWriter(tmp_path, prefix="NEWS", worker_id="w1", max_bytes=10**9, warcinfo={"operator": "tests"})
    ex = exchange()
    warcinfo_id = writer.prepare()
    location = writer.write_exchange(*factory.exchange(ex, warcinfo_id))
    open_files = list(tmp_path.rglob("*.warc.gz.open"))
    assert len(open_files) == 1
    writer.close()
    path = tmp_path / location.filename
    assert path.exists() and not list(tmp_path.rglob("*.open"))
    records = read_all(path)
    assert [r[0] for r in records] == ["warcinfo", "response", "request"]
    _, info_headers, _, info_body = records[0]
    assert b"operator: tests" in info_body
    _, resp, resp_http, payload = records[1]
    _, req, _, _ = records[2]
    assert payload == b"<html>hi</html>"
    assert resp.get_header("WARC-Date") == "2022-01-19T00:00:00.250000Z"
    assert resp.get_header("WARC-Payload-Digest") == "sha1:" + sha1_base32(payload)
    assert resp.get_header("WARC-Warcinfo-ID") == info_headers.get_header("WARC-Record-ID")
    assert req.get_header("WARC-Concurrent-To") == resp.get_header("WARC-Record-ID") == location.record_id
    with open(path, "rb") as f:
        f.seek(location.offset)
        (record,) = list(ArchiveIterator(BytesIO(f.read(location.length))))
    assert record.rec_type == "response"


def _checked_member(path: Path, location: WarcLocation) -> bytes:
    """The gzip member of the record at ``location``, after ``warcio check`` passed the file."""
    subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)], check=True, capture_output=True)
    with open(path, "rb") as f:
        f.seek(location.offset)
        return f.read(location.length)


@pytest.mark.parametrize(("engine", "levels"), [("isal", (0, 2, 3)), ("zlib-ng", (1, 6, 9)), ("zlib", (1, 9))])
def test_every_gzip_engine_and_level_reads_back_and_higher_levels_are_smaller(
    tmp_path: Path, engine: str, levels: tuple[int, ...]
) -> None:
    """WARC_GZIP_ENGINE / WARC_GZIP_LEVEL: each record is still its own standard gzip member
    (offsets index records), valid for warcio check; a higher level gives a smaller file."""
    factory = RecordFactory()
    body = b"".join(b"<p>Paragraph %d of a long article about council budgets and rates %d.</p>" % (i, i * i % 97) for i in range(3000))
    sizes = {}
    for level in levels:
        root = tmp_path / f"{engine}-{level}"
        writer = RotatingWarcWriter(root, prefix="NEWS", worker_id="w1", max_bytes=10**9, warcinfo={}, gzip=GzipCodec(engine, level))
        location = writer.write_exchange(*factory.exchange(exchange(body=body), writer.prepare()))
        writer.close()
        path = root / location.filename
        member = _checked_member(path, location)
        assert b"\r\nWARC-Type: response\r\n" in zlib.decompress(member, 31)[:300]  # plain zlib reads it
        payloads = [r.content_stream().read() for r in ArchiveIterator(BytesIO(member))]
        assert payloads == [body]
        sizes[level] = path.stat().st_size
    ordered = [sizes[level] for level in levels]
    assert ordered == sorted(ordered, reverse=True) and ordered[0] > ordered[-1], sizes


def _encoded(encoding: str, size: int) -> bytes:
    """A body of about ``size`` bytes as a server would send it in ``encoding`` (zstd: its
    magic number and noise; warcio does not decode zstd)."""
    noise = random.Random(size).randbytes(size)
    if encoding in ("gzip", "x-gzip"):
        return gzip.compress(noise, mtime=0)
    if encoding == "deflate":
        return zlib.compress(noise)
    return b"\x28\xb5\x2f\xfd" + noise


@pytest.mark.parametrize("engine", ["isal", "zlib-ng", "zlib"])
@pytest.mark.parametrize(("encoding", "size"), [("gzip", 0), ("gzip", 70_000), ("deflate", 65_500), ("zstd", 140_000), ("x-gzip", 1)])
def test_payloads_the_server_compressed_are_stored_not_deflated_again(tmp_path: Path, engine: str, encoding: str, size: int) -> None:
    """A body sent with Content-Encoding gzip/deflate/zstd goes into its record's gzip member
    as deflate stored blocks (split at 64 KiB): the member reads back with zlib, warcio and
    ``warcio check`` like any other, holds the same record bytes, and is no bigger than the
    payload plus its compressed headers. (br is left out of ``warcio check``: warcio cannot
    decode it with the brotli package Scrapy installs, webrecorder/warcio#73.)"""
    body = _encoded(encoding, size)
    size = len(body)
    headers = {"Content-Type": "text/html", "Content-Encoding": encoding}
    factory = RecordFactory()
    writer = RotatingWarcWriter(tmp_path, prefix="NEWS", worker_id="w1", max_bytes=10**9, warcinfo={}, gzip=GzipCodec(engine))
    response, request_record = factory.exchange(exchange(body=body, headers=headers), writer.prepare())
    location = writer.write_exchange(response, request_record)
    writer.close()
    member = _checked_member(tmp_path / location.filename, location)
    plain = zlib.decompress(member, 31)
    assert plain == record_bytes(response)  # what the deflating path would have compressed
    [(record_encoding, stored)] = [
        (r.http_headers.get_header("Content-Encoding"), r.raw_stream.read()) for r in ArchiveIterator(BytesIO(member))
    ]
    assert (record_encoding, stored) == (encoding, body)
    head = len(plain) - len(body)
    assert len(member) <= size + head, (len(member), size, head)  # headers compressed, body stored
    assert len(member) >= size  # nothing was deflated out of the body


def test_a_body_labelled_gzip_without_the_gzip_magic_is_deflated() -> None:
    """A server that labels plain text "gzip" does not make the archive store it raw."""
    body = b"<p>plain text, not gzip</p>" * 2000
    factory = RecordFactory()
    response, _ = factory.exchange(exchange(body=body, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}), None)
    assert not payload_is_compressed(response)
    assert payload_is_compressed(factory.exchange(exchange(body=b"\x1f\x8b" + body, headers={"Content-Encoding": "GZIP"}), None)[0])
    assert payload_is_compressed(factory.exchange(exchange(body=body, headers={"Content-Encoding": "br"}), None)[0])
    assert not payload_is_compressed(factory.exchange(exchange(body=b"\x1f\x8b" + body, headers={"Content-Type": "text/html"}), None)[0])


def test_gzip_settings_pick_the_engine_and_its_default_level_and_refuse_wrong_values() -> None:
    assert warc_gzip(Settings()) == GzipCodec("isal", 2)
    assert warc_gzip(Settings({"WARC_GZIP_ENGINE": "zlib-ng"})) == GzipCodec("zlib-ng", 6)
    assert warc_gzip(Settings({"WARC_GZIP_ENGINE": "zlib", "WARC_GZIP_LEVEL": "9"})).level == 9
    assert warc_gzip(Settings({"WARC_GZIP_LEVEL": "1"})) == GzipCodec("isal", 1)
    # a zlib level without an engine means what it meant before ISA-L: zlib-ng at that level
    assert warc_gzip(Settings({"WARC_GZIP_LEVEL": "9"})) == GzipCodec("zlib-ng", 9)
    assert warc_gzip(Settings({"WARC_GZIP_ENGINE": "", "WARC_GZIP_LEVEL": 6})) == GzipCodec("zlib-ng", 6)
    with pytest.raises(GzipSettingError, match="WARC_GZIP_LEVEL=9 is out of range.*'isal'"):
        warc_gzip(Settings({"WARC_GZIP_ENGINE": "isal", "WARC_GZIP_LEVEL": 9}))
    with pytest.raises(GzipSettingError, match="WARC_GZIP_ENGINE='brotli'"):
        warc_gzip(Settings({"WARC_GZIP_ENGINE": "brotli"}))


def test_writer_rotates_between_exchanges(tmp_path: Path) -> None:
    factory = RecordFactory()
    writer = RotatingWarcWriter(tmp_path, prefix="NEWS", worker_id="w1", max_bytes=600, warcinfo={})
    for i in range(4):
        ex = exchange(f"http://news.example/{i}", body=b"x" * 2000)
        writer.write_exchange(*factory.exchange(ex, writer.prepare()))
    writer.close()
    files = sorted(tmp_path.rglob("*.warc.gz"))
    assert len(files) == 4
    for path in files:
        assert [r[0] for r in read_all(path)] == ["warcinfo", "response", "request"]
        subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)], check=True, capture_output=True)


def test_writer_names_files_by_date_worker_and_serial(tmp_path: Path) -> None:
    clock = lambda: datetime(2022, 1, 19, 10, 30, 5, tzinfo=timezone.utc)  # noqa: E731
    writer = RotatingWarcWriter(tmp_path, prefix="NEWS", worker_id="node7", max_bytes=10**9, warcinfo={}, clock=clock)
    writer.prepare()
    writer.close()
    (path,) = tmp_path.rglob("*.warc.gz")
    assert path.relative_to(tmp_path).as_posix() == "warc/crawl_date=2022-01-19/NEWS-20220119103005-00001-node7.warc.gz"


def test_capture_extension_archives_a_downloaded_response(tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={"OUTPUT_ROOT": str(tmp_path), "WORKER_ID": "w1", "CRAWL_ID": "c1"})
    extension = build_from_crawler(WarcCaptureExtension, crawler)
    request = Request("http://news.example/story?id=7", meta={"discovery_method": "sitemap"})
    body = b"\x1f\x8b compressed bytes as sent"
    response = HtmlResponse(
        request.url, status=200, body=body, request=request,
        headers={"Content-Type": "text/html; charset=UTF-8", "Content-Encoding": "gzip"}, flags=["dataloss"],
    )
    extension.response_downloaded(response=response, request=request, spider=crawler.spider)
    extension.spider_closed(crawler.spider, "finished")
    capture = request.meta[CAPTURE_META_KEY]
    assert capture.content_digest == sha1_base32(body)
    assert capture.content_truncated == "disconnect"
    assert (capture.content_mime_type, capture.content_charset) == ("text/html", "utf-8")
    assert capture.discovery_method == "sitemap"
    assert (capture.crawl_id, capture.worker_id) == ("c1", "w1")
    records = read_all(tmp_path / capture.warc_filename)
    _, resp, http_headers, payload = records[1]
    assert payload == body
    assert resp.get_header("WARC-Truncated") == "disconnect"
    assert http_headers.get_header("Content-Encoding") == "gzip"
    assert crawler.stats.get_value("newscrawl/warc/exchanges") == 1


def _extension(tmp_path: Path) -> tuple[WarcCaptureExtension, object]:
    crawler = get_crawler(settings_dict={"OUTPUT_ROOT": str(tmp_path), "WORKER_ID": "w1", "CRAWL_ID": "c1"})
    extension = build_from_crawler(WarcCaptureExtension, crawler)
    extension.state = StateStore.in_dir(tmp_path / "state")  # what StateKeeper provides in a crawl
    return extension, crawler


def _download(extension: WarcCaptureExtension, crawler, url: str, status: int, body: bytes, meta=None):
    request = Request(url, meta=meta or {})
    response = HtmlResponse(url, status=status, body=body, request=request, headers={"Content-Type": "text/html"}, ip_address=ip_address("192.0.2.7"))
    extension.response_downloaded(response=response, request=request, spider=crawler.spider)
    return request.meta[CAPTURE_META_KEY]


def test_identical_payloads_become_revisits_and_304s_server_not_modified(tmp_path: Path) -> None:
    extension, crawler = _extension(tmp_path)
    first = _download(extension, crawler, "http://news.example/a", 200, b"<p>same</p>")
    again = _download(extension, crawler, "http://news.example/a-copy", 200, b"<p>same</p>")
    not_modified = _download(extension, crawler, "http://news.example/a", 304, b"")
    empty = _download(extension, crawler, "http://news.example/empty", 200, b"")
    empty2 = _download(extension, crawler, "http://news.example/empty2", 200, b"")
    extension.spider_closed(crawler.spider, "finished")
    assert [c.record_type for c in (first, again, not_modified, empty, empty2)] == ["response", "revisit", "revisit", "response", "response"]
    recs = {r[1].get_header("WARC-Record-ID"): r for r in read_all(tmp_path / first.warc_filename)}
    revisit = recs[again.warc_record_id][1]
    assert revisit.get_header("WARC-Refers-To") == first.warc_record_id
    assert revisit.get_header("WARC-Refers-To-Target-URI") == "http://news.example/a"
    assert revisit.get_header("WARC-Profile").endswith("identical-payload-digest")
    assert recs[not_modified.warc_record_id][1].get_header("WARC-Profile").endswith("server-not-modified")
    assert crawler.stats.get_value("newscrawl/warc/revisits") == 2


def test_revisits_reach_back_to_earlier_runs(tmp_path: Path) -> None:
    extension, crawler = _extension(tmp_path)
    first = _download(extension, crawler, "http://news.example/a", 200, b"<p>kept</p>")
    state = extension.state
    extension.spider_closed(crawler.spider, "finished")
    state.close()  # what the StateKeeper does when the engine stops
    extension, crawler = _extension(tmp_path)
    later = _download(extension, crawler, "http://news.example/a", 200, b"<p>kept</p>")
    extension.spider_closed(crawler.spider, "finished")
    assert later.record_type == "revisit" and later.warc_filename != first.warc_filename


def test_ip_address_is_recorded_unless_a_proxy_was_used(tmp_path: Path) -> None:
    extension, crawler = _extension(tmp_path)
    direct = _download(extension, crawler, "http://news.example/x", 200, b"<p>x</p>")
    proxied = _download(extension, crawler, "http://news.example/y", 200, b"<p>y</p>", meta={"proxy": "http://proxy.example:3128"})
    extension.spider_closed(crawler.spider, "finished")
    recs = {r[1].get_header("WARC-Record-ID"): r[1] for r in read_all(tmp_path / direct.warc_filename)}
    assert recs[direct.warc_record_id].get_header("WARC-IP-Address") == "192.0.2.7"
    assert recs[proxied.warc_record_id].get_header("WARC-IP-Address") is None


def test_repair_cuts_a_half_written_record_and_publishes_the_file(tmp_path: Path) -> None:
    from newscrawl.archive.repair import repair_all

    factory = RecordFactory()
    writer = RotatingWarcWriter(tmp_path, prefix="NEWS", worker_id="w1", max_bytes=10**9, warcinfo={})
    for i in range(3):
        ex = exchange(f"http://news.example/{i}", body=b"<p>%d</p>" % i)
        writer.write_exchange(*factory.exchange(ex, writer.prepare()))
    (open_path,) = tmp_path.rglob("*.open")
    assert repair_all(tmp_path / "warc") == []  # the live writer holds it
    complete = open_path.stat().st_size
    with open(open_path, "ab") as f:
        f.write(b"\x1f\x8b\x08\x00half a gzip member")
    writer._file.close()  # the process "dies": its lock goes with it
    (result,) = repair_all(tmp_path / "warc")
    assert result.kept_bytes == complete and result.cut_bytes > 0
    assert not list(tmp_path.rglob("*.open"))
    subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(result.path)], check=True, capture_output=True)
    assert [r[0] for r in read_all(result.path)] == ["warcinfo"] + ["response", "request"] * 3
    index = result.path.with_name(result.path.name.replace(".warc.gz", ".cdxj")).read_text().splitlines()
    assert len(index) == 3
