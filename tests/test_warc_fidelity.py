"""WARC fidelity on real crawls of the demo site: awkward exchanges, revisits across runs,
CDXJ agreement with cdxj-indexer, and byte-identical replay in pywb."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import PROJECT_ROOT, CrawlRun, run_crawl
from tests.site.server import DemoServer

BIN = Path(sys.executable).parent
PYWB_BIN = Path(__file__).resolve().parent.parent / ".venv-pywb" / "bin"  # its own venv: see scripts/setup.sh


@dataclass
class Record:
    type: str
    headers: dict[str, str]
    http: list[tuple[str, str]] | None
    statusline: str | None
    payload: bytes
    path: Path


@dataclass
class TwoRuns:
    first: CrawlRun
    second: CrawlRun

    @property
    def output(self) -> Path:
        return self.first.output


@pytest.fixture(scope="module")
def two_runs(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> TwoRuns:
    """The same demo site crawled twice into one output root."""
    root = tmp_path_factory.mktemp("twice")
    first = run_crawl(demo_server.base + "/", root, demo_server)
    # not incremental: the second run fetches every page again, unconditionally
    second = run_crawl(demo_server.base + "/", root, demo_server, NEWSCRAWL_INCREMENTAL="false")
    assert first.returncode == 0 and second.returncode == 0, second.log[-3000:]
    return TwoRuns(first, second)


def warcs(root: Path) -> list[Path]:
    return sorted(root.glob("warc/crawl_date=*/*.warc.gz"))


def records(root: Path, run: int | None = None) -> list[Record]:
    """Records of every WARC file under root, or of the ``run``-th file (one file per run)."""
    out = []
    files = warcs(root)
    for path in files if run is None else [files[run]]:
        with open(path, "rb") as f:
            for r in ArchiveIterator(f):
                http = r.http_headers
                out.append(
                    Record(
                        type=r.rec_type,
                        headers=dict(r.rec_headers.headers),
                        http=list(http.headers) if http else None,
                        statusline=(http.protocol + " " + http.statusline) if http else None,
                        payload=r.raw_stream.read() if r.rec_type != "revisit" else b"",  # as stored, not decoded
                        path=path,
                    )
                )
    return out


def responses_for(root: Path, suffix: str, run: int | None = None) -> list[Record]:
    return [r for r in records(root, run) if r.type == "response" and r.headers["WARC-Target-URI"].endswith(suffix)]


def test_every_file_passes_warcio_check_and_gzip_test(two_runs: TwoRuns) -> None:
    files = warcs(two_runs.output)
    assert len(files) == 2
    for path in files:
        subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)], check=True, capture_output=True)
        subprocess.run(["gzip", "-t", str(path)], check=True)


def test_every_record_carries_its_digests(two_runs: TwoRuns) -> None:
    kinds = set()
    for record in records(two_runs.output):
        kinds.add(record.type)
        assert record.headers["WARC-Block-Digest"].startswith("sha1:")
        if record.type in ("response", "revisit", "request"):
            assert record.headers["WARC-Payload-Digest"].startswith("sha1:")
        if record.type == "response":
            digest = base64.b32encode(hashlib.sha1(record.payload).digest()).decode()
            assert record.headers["WARC-Payload-Digest"] == "sha1:" + digest
    assert kinds == {"warcinfo", "response", "request", "metadata", "revisit"}


def test_warcinfo_describes_the_crawl(two_runs: TwoRuns) -> None:
    info = [r for r in records(two_runs.output) if r.type == "warcinfo"]
    assert len(info) == 2
    fields = dict(line.split(": ", 1) for line in info[0].payload.decode().strip().splitlines())
    for key in ("software", "hostname", "format", "conformsTo", "robots", "http-header-user-agent", "crawl-id", "description"):
        assert fields.get(key), key
    assert fields["robots"] == "obey" and "reason phrase" in fields["description"]


def test_repeated_set_cookie_headers_are_all_kept(two_runs: TwoRuns, demo_server: DemoServer) -> None:
    home = next(r for r in records(two_runs.output, 0) if r.type == "response" and r.headers["WARC-Target-URI"] == demo_server.base + "/")
    assert [v for k, v in home.http or [] if k == "Set-Cookie"] == ["session=abc123; Path=/", "consent=none; Path=/"]


def test_request_records_keep_query_strings_and_sent_headers(two_runs: TwoRuns) -> None:
    paged = [r for r in records(two_runs.output) if r.type == "request" and r.headers["WARC-Target-URI"].endswith("?page=2")]
    assert paged
    record = paged[0]
    assert record.statusline is not None and record.statusline.startswith("GET /") and record.statusline.endswith("?page=2 HTTP/1.1")
    sent = dict(record.http or [])
    assert sent["Host"].startswith("127.0.0.1:") and sent["Referer"] and sent["User-Agent"].startswith("newscrawl/")
    assert "Cookie" in sent  # the session cookie set by the homepage went back to the server


def test_gzip_bodies_are_stored_as_sent(two_runs: TwoRuns) -> None:
    gzipped = [r for r in records(two_runs.output, 0) if r.type == "response" and dict(r.http or []).get("Content-Encoding") == "gzip"]
    assert gzipped
    for record in gzipped:
        assert record.payload[:2] == b"\x1f\x8b"
        assert dict(record.http or [])["Content-Length"] == str(len(record.payload))


def test_compression_is_asked_for_in_encodings_every_warc_reader_decodes(two_runs: TwoRuns) -> None:
    """The demo server sends brotli to clients that accept it; the crawl asks for gzip and
    deflate only (warcio cannot read br bodies with the brotli package Scrapy installs), so
    the files above pass `warcio check` and replay."""
    sent = [dict(r.http or []).get("Accept-Encoding") for r in records(two_runs.output, 0) if r.type == "request"]
    assert sent and set(sent) == {"gzip, deflate"}
    encodings = {dict(r.http or []).get("Content-Encoding") for r in records(two_runs.output, 0) if r.type == "response"}
    assert "gzip" in encodings and "br" not in encodings


def test_chunked_bodies_get_the_stored_length(two_runs: TwoRuns) -> None:
    (feed,) = responses_for(two_runs.output, "/feed.xml", 0)
    http = dict(feed.http or [])
    assert "Transfer-Encoding" not in http
    assert http["Content-Length"] == str(len(feed.payload)) and feed.payload.rstrip().endswith(b"</rss>")


def captures(root: Path, where: str) -> list[tuple]:
    return duckdb.sql(
        f"SELECT url, fetch_status, fetch_redirect, content_truncated, record_type, error "
        f"FROM read_parquet('{root}/parquet/captures/**/*.parquet', hive_partitioning=true) WHERE {where}"
    ).fetchall()


def test_redirect_chain_errors_and_truncation_round_trip(two_runs: TwoRuns, demo_server: DemoServer) -> None:
    first = two_runs.first.output
    run_id = "crawl_id = (SELECT min(crawl_id) FROM read_parquet('{root}/parquet/captures/**/*.parquet'))".format(root=first)
    chain = {u.rsplit("/", 1)[-1]: (s, r) for u, s, r, *_ in captures(first, f"url LIKE '%/chain/%' AND {run_id}")}
    assert chain["start"] == (302, demo_server.base + "/chain/middle")
    assert chain["middle"][0] == 301 and chain["middle"][1] == demo_server.site.article_url(demo_server.site.articles[0])
    assert [s for _, s, *_ in captures(first, f"url LIKE '%/broken.html' AND {run_id}")] == [500, 500, 500]
    assert [s for _, s, *_ in captures(first, f"url LIKE '%/missing-story.html' AND {run_id}")] == [404]
    (truncated,) = captures(first, f"url LIKE '%/truncated.html' AND {run_id}")
    assert truncated[3] == "disconnect"
    (record,) = [r for r in responses_for(first, "/truncated.html", 0) if r.headers.get("WARC-Truncated")]
    assert record.headers["WARC-Truncated"] == "disconnect" and len(record.payload) == 600
    (broken,) = {r.statusline for r in responses_for(first, "/broken.html", 0)}
    assert broken == "HTTP/1.1 500 Internal Server Error"


def test_metadata_record_per_capture(two_runs: TwoRuns) -> None:
    recs = records(two_runs.output, 0)
    responses = {r.headers["WARC-Record-ID"] for r in recs if r.type == "response"}
    metadata = [r for r in recs if r.type == "metadata"]
    assert {m.headers["WARC-Concurrent-To"] for m in metadata} == responses
    fields = dict(line.split(": ", 1) for line in metadata[-1].payload.decode().strip().splitlines())
    assert "fetchTimeMs" in fields and "hopsFromSeed" in fields


def test_second_run_writes_revisits_pointing_at_the_first(two_runs: TwoRuns) -> None:
    recs = records(two_runs.output)
    originals = {r.headers["WARC-Record-ID"]: r for r in recs if r.type == "response"}
    revisits = [r for r in recs if r.type == "revisit"]
    assert len(revisits) >= 70
    for revisit in revisits:
        original = originals[revisit.headers["WARC-Refers-To"]]
        assert revisit.headers["WARC-Profile"].endswith("/revisit/identical-payload-digest")
        assert revisit.headers["WARC-Payload-Digest"] == original.headers["WARC-Payload-Digest"]
        assert revisit.headers["WARC-Refers-To-Target-URI"] == original.headers["WARC-Target-URI"]
        assert revisit.headers["WARC-Refers-To-Date"] == original.headers["WARC-Date"]
        assert original.path != revisit.path
    kinds = duckdb.sql(
        f"SELECT record_type, count(*) FROM read_parquet('{two_runs.output}/parquet/captures/**/*.parquet') "
        "WHERE fetch_status = 200 GROUP BY ALL"
    ).fetchall()
    assert dict(kinds)["revisit"] == len(revisits)


def test_cdxj_indexes_agree_with_cdxj_indexer(two_runs: TwoRuns) -> None:
    for path in warcs(two_runs.output):
        ours = (path.parent / path.name.replace(".warc.gz", ".cdxj")).read_text().splitlines()
        assert ours == sorted(ours)
        theirs = subprocess.run([str(BIN / "cdxj-indexer"), str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
        assert sorted(ours) == sorted(theirs)


def test_warcget_prints_the_latest_capture(two_runs: TwoRuns, demo_server: DemoServer) -> None:
    url = demo_server.base + "/about.html"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "warcget", "--decode", "-s", f"OUTPUT_ROOT={two_runs.output}", url],
        cwd=PROJECT_ROOT, capture_output=True, check=True,
    )
    assert b"(revisit of " in proc.stdout.splitlines()[0]
    assert b"HTTP/1.1 200 OK" in proc.stdout and b"<h1>About Demo News</h1>" in proc.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def wayback(two_runs: TwoRuns, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """pywb serving both runs' WARCs on 127.0.0.1."""
    home = tmp_path_factory.mktemp("pywb")
    subprocess.run([str(PYWB_BIN / "wb-manager"), "init", "demo"], cwd=home, check=True, capture_output=True)
    subprocess.run([str(PYWB_BIN / "wb-manager"), "add", "demo", *map(str, warcs(two_runs.output))], cwd=home, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen([str(PYWB_BIN / "wayback"), "-b", "127.0.0.1", "-p", str(port)], cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}/demo"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_pywb_replays_every_capture_byte_for_byte(two_runs: TwoRuns, wayback: str) -> None:
    lines = [line for path in warcs(two_runs.output) for line in path.with_name(path.name.replace(".warc.gz", ".cdxj")).read_text().splitlines()]
    entries = [(line.split(" ", 2)[1], json.loads(line.split(" ", 2)[2])) for line in lines]
    entries = [(ts, f) for ts, f in entries if f["status"] == "200"]
    assert sum(f["mime"] == "warc/revisit" for _, f in entries) >= 70
    for timestamp, fields in entries:
        request = urllib.request.Request(f"{wayback}/{timestamp}id_/{fields['url']}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            body = reply.read()
        digest = base64.b32encode(hashlib.sha1(body).digest()).decode()
        assert f"sha1:{digest}" == fields["digest"], fields["url"]


def test_http_cache_hits_are_not_archived(demo_server: DemoServer, tmp_path: Path) -> None:
    cache = {"HTTPCACHE_ENABLED": "true", "HTTPCACHE_DIR": str(tmp_path / "cache"), "DEPTH_LIMIT": "1"}
    first = run_crawl(demo_server.base + "/", tmp_path / "one", demo_server, **cache)
    second = run_crawl(demo_server.base + "/", tmp_path / "two", demo_server, **cache)
    assert first.returncode == 0 and second.returncode == 4  # 4: nothing fetched (all from cache)
    assert first.served and second.served == []
    assert warcs(tmp_path / "one") and not warcs(tmp_path / "two")
    assert not list((tmp_path / "two").glob("parquet/captures/**/*.parquet"))


def test_a_warc_write_failure_stops_the_crawl(demo_server: DemoServer, tmp_path: Path) -> None:
    (tmp_path / "warc").write_text("not a directory")  # every WARC write now fails
    run = run_crawl(demo_server.base + "/", tmp_path, demo_server)
    assert "'finish_reason': 'warc_write_failed'" in run.log
    assert "Cannot write WARC" in run.log and "fix permissions" in run.log
    assert len(run.served) < 10


def test_downloads_aborted_at_max_size_are_captured_with_the_reason(demo_server: DemoServer, tmp_path: Path) -> None:
    run = run_crawl(demo_server.base + "/about.html", tmp_path, demo_server, DOWNLOAD_MAXSIZE="500", DEPTH_LIMIT="1")
    assert run.returncode == 0
    rows = dict(duckdb.sql(
        f"SELECT url, error FROM read_parquet('{tmp_path}/parquet/captures/**/*.parquet') WHERE fetch_status IS NULL"
    ).fetchall())
    error = rows[demo_server.base + "/about.html"]
    assert error.startswith("DownloadCancelledError") and "max size (500)" in error
    assert not responses_for(tmp_path, "/about.html")


def test_warcpack_writes_a_valid_wacz_with_the_articles_as_pages(two_runs: TwoRuns, tmp_path: Path) -> None:
    wacz = tmp_path / "demo.wacz"
    subprocess.run(
        [sys.executable, "-m", "scrapy", "warcpack", "-O", str(wacz), "-s", f"OUTPUT_ROOT={two_runs.output}"],
        cwd=PROJECT_ROOT, capture_output=True, check=True,
    )
    check = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(wacz)], capture_output=True, text=True)
    assert check.returncode == 0 and "Validation succeeded" in check.stdout + check.stderr
    with zipfile.ZipFile(wacz) as archive:
        names = set(archive.namelist())
        pages = archive.read("pages/pages.jsonl").decode().splitlines()
    assert {f"archive/{p.name}" for p in warcs(two_runs.output)} <= names
    (n_articles,), = duckdb.sql(f"SELECT count(*) FROM read_parquet('{two_runs.output}/parquet/articles/**/*.parquet')").fetchall()
    assert len(pages) - 1 == n_articles and json.loads(pages[1])["title"]


def test_bodies_over_the_size_limit_are_cut_and_archived_as_truncated(demo_server: DemoServer, tmp_path: Path) -> None:
    run = run_crawl(demo_server.base + "/big.html", tmp_path, demo_server, NEWSCRAWL_MAX_BODY_BYTES="20000", DEPTH_LIMIT="1")
    assert run.returncode == 0
    full = len(demo_server.site.page("/big.html", "").body)
    (record,) = responses_for(tmp_path, "/big.html")
    assert record.headers["WARC-Truncated"] == "length"
    assert 20000 < len(record.payload) < full
    assert dict(record.http or [])["X-Crawler-Content-Length"] == str(full)
    (row,) = duckdb.sql(
        f"SELECT content_truncated, content_length FROM read_parquet('{tmp_path}/parquet/captures/**/*.parquet') WHERE url LIKE '%/big.html'"
    ).fetchall()
    assert row == ("length", len(record.payload))
