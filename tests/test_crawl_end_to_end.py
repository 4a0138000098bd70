"""A real `scrapy crawl news` of the demo site: exit code, WARC files, Parquet tables."""

from __future__ import annotations

import base64
import gzip
import hashlib
import subprocess
import sys
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import CrawlRun, run_crawl
from tests.site.server import DemoServer
from tests.site.truth import expected_article


def table(run: CrawlRun, name: str) -> str:
    return f"read_parquet('{run.output}/parquet/{name}/**/*.parquet', hive_partitioning=true, union_by_name=true)"


def rows(run: CrawlRun, sql: str) -> list[tuple]:
    sql = sql.replace("{articles}", table(run, "articles")).replace("{captures}", table(run, "captures"))
    return duckdb.sql(sql).fetchall()


def warc_files(run: CrawlRun) -> list[Path]:
    return sorted(run.output.glob("warc/crawl_date=*/*.warc.gz"))


def test_crawl_exits_cleanly(demo_crawl: CrawlRun) -> None:
    assert demo_crawl.returncode == 0, demo_crawl.log[-3000:]
    assert "Traceback" not in demo_crawl.log
    errors = [line for line in demo_crawl.log.splitlines() if " ERROR: " in line]
    # the one expected error: the demo page that always answers 500, given up after retries
    assert len(errors) == 1 and "Gave up retrying" in errors[0] and "/broken.html" in errors[0]


def test_every_article_exactly_once(demo_crawl: CrawlRun, demo_server: DemoServer) -> None:
    expected = sorted(demo_server.site.article_url(a) for a in demo_server.site.articles)
    got = [r[0] for r in rows(demo_crawl, "SELECT url FROM {articles} ORDER BY url")]
    assert len(expected) >= 30
    assert got == expected


def test_article_rows_hold_what_the_pages_say(demo_crawl: CrawlRun, demo_server: DemoServer) -> None:
    by_url = {
        r[0]: r[1:]
        for r in rows(demo_crawl, "SELECT url, headline, date_published, [a.name for a in authors], tags, section FROM {articles}")
    }
    for article in demo_server.site.articles:
        truth = expected_article(article, demo_server.base)
        headline, published, authors, tags, section = by_url[truth["url"]]
        assert headline == truth["headline"]
        assert published == datetime.fromisoformat(truth["date_published"])
        assert (authors or None) == truth["authors"]
        assert tags == truth["tags"]
        assert section == truth["section"]


def test_every_fetched_url_is_in_captures(demo_crawl: CrawlRun) -> None:
    base = rows(demo_crawl, "SELECT url FROM {captures} LIMIT 1")[0][0].split("/", 3)[:3]
    served = sorted("/".join(base) + path for path in demo_crawl.served)
    captured = sorted(r[0] for r in rows(demo_crawl, "SELECT url FROM {captures}"))
    assert captured == served
    assert any(u.endswith("/robots.txt") for u in captured)
    assert any(u.endswith("/sitemap.xml") for u in captured)
    assert any(u.endswith("/feed.xml") for u in captured)


def test_robots_disallow_is_obeyed(demo_crawl: CrawlRun) -> None:
    assert not [p for p in demo_crawl.served if p.startswith("/private/")]


def test_redirects_and_errors_are_captured(demo_crawl: CrawlRun) -> None:
    redirects = rows(demo_crawl, "SELECT url, fetch_redirect FROM {captures} WHERE fetch_status = 301")
    assert redirects and all(target.startswith("http://127.0.0.1:") for _, target in redirects)
    missing = rows(demo_crawl, "SELECT url FROM {captures} WHERE fetch_status = 404")
    assert [u for (u,) in missing if u.endswith("/news/missing-story.html")]


def test_warc_files_are_valid(demo_crawl: CrawlRun) -> None:
    files = warc_files(demo_crawl)
    assert files
    assert not list(demo_crawl.output.rglob("*.open"))
    for path in files:
        subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(path)], check=True, capture_output=True)
        with gzip.open(path) as stream:  # gzip -t: every member complete
            while stream.read(1 << 20):
                pass


def test_warc_holds_request_and_response_for_every_capture(demo_crawl: CrawlRun) -> None:
    responses, requests = {}, {}
    warcinfo = 0
    for path in warc_files(demo_crawl):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                uri = record.rec_headers.get_header("WARC-Target-URI")
                if record.rec_type == "warcinfo":
                    warcinfo += 1
                elif record.rec_type == "response":
                    responses[record.rec_headers.get_header("WARC-Record-ID")] = uri
                elif record.rec_type == "request":
                    requests[record.rec_headers.get_header("WARC-Concurrent-To")] = uri
    assert warcinfo == len(warc_files(demo_crawl))
    assert requests == responses
    captured = rows(demo_crawl, "SELECT warc_record_id, url FROM {captures} WHERE error IS NULL")
    assert dict(captured) == responses


def test_article_pointers_resolve_to_their_response_record(demo_crawl: CrawlRun) -> None:
    pointers = rows(
        demo_crawl,
        "SELECT url, warc_filename, warc_record_offset, warc_record_length, warc_record_id, content_digest FROM {articles}",
    )
    assert pointers
    for url, filename, offset, length, record_id, digest in pointers:
        with open(demo_crawl.output / filename, "rb") as f:
            f.seek(offset)
            chunk = f.read(length)
        records = list(ArchiveIterator(BytesIO(chunk)))
        assert len(records) == 1
        record = records[0]
        assert record.rec_type == "response"
        assert record.rec_headers.get_header("WARC-Target-URI") == url
        assert record.rec_headers.get_header("WARC-Record-ID") == record_id
        assert record.rec_headers.get_header("WARC-Payload-Digest") == f"sha1:{digest}"


def test_gzip_responses_are_archived_as_sent(demo_crawl: CrawlRun) -> None:
    (url, filename, offset, length, digest), *_ = rows(
        demo_crawl,
        "SELECT url, warc_filename, warc_record_offset, warc_record_length, content_digest "
        "FROM {articles} WHERE page_type = 'NewsArticle' AND url LIKE '%/2022/%'",
    )
    with open(demo_crawl.output / filename, "rb") as f:
        f.seek(offset)
        record = next(ArchiveIterator(BytesIO(f.read(length))))
        assert record.http_headers.get_header("Content-Encoding") == "gzip"
        payload = record.raw_stream.read()
    assert payload[:2] == b"\x1f\x8b"
    assert base64.b32encode(hashlib.sha1(payload).digest()).decode() == digest
    assert b"<h1>" in gzip.decompress(payload)


def test_duckdb_reads_both_tables_with_hive_partitions(demo_crawl: CrawlRun) -> None:
    (crawl_date, n_articles), = rows(demo_crawl, "SELECT crawl_date, count(*) FROM {articles} GROUP BY ALL")
    assert isinstance(crawl_date, date) and n_articles >= 30
    (n_captures,), = rows(demo_crawl, "SELECT count(*) FROM {captures}")
    assert n_captures > n_articles
    crumbs = rows(demo_crawl, "SELECT DISTINCT [b.name for b in breadcrumbs] FROM {articles}")
    assert (["News", "Russia"],) in crumbs


def test_parquet_files_are_published_atomically_and_sorted(demo_crawl: CrawlRun) -> None:
    staged = [p.name for p in (demo_crawl.output / "_staging").rglob("*") if p.is_file()]
    assert staged == [".lock"]  # nothing left staged, only the (released) lock of the worker
    files = sorted(demo_crawl.output.glob("parquet/*/crawl_date=*/*.parquet"))
    assert {f.parent.parent.name for f in files} == {"articles", "captures"}
    for path in files:
        keys = pq.read_table(path, columns=["url_surtkey"]).column(0).to_pylist()
        assert keys == sorted(keys)
        metadata = pq.ParquetFile(path).metadata
        assert metadata.row_group(0).column(0).compression == "ZSTD"
        assert metadata.row_group(0).sorting_columns


@pytest.mark.parametrize("style_url_part", ["/stories/", "/2022/", "/news/russia/"])
def test_each_page_style_yields_articles(demo_crawl: CrawlRun, style_url_part: str) -> None:
    (count,), = rows(demo_crawl, f"SELECT count(*) FROM {{articles}} WHERE url LIKE '%{style_url_part}%'")
    assert count >= 10 if style_url_part != "/news/russia/" else count >= 2


def test_every_row_names_its_run(demo_crawl: CrawlRun) -> None:
    ids = rows(demo_crawl, "SELECT DISTINCT crawl_id, worker_id, spider FROM {captures}")
    assert len(ids) == 1
    crawl_id, worker_id, spider = ids[0]
    assert crawl_id and crawl_id.endswith(worker_id) and spider == "news"
    assert rows(demo_crawl, "SELECT DISTINCT crawl_id FROM {articles}") == [(crawl_id,)]


def test_links_repeated_in_workers_are_left_out_and_the_crawl_finds_the_same_pages(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """Extraction workers leave out the links they reported for an earlier page at that
    depth or less (the menus every page repeats), which the spider would drop: the crawl
    fetches the same URLs as one that extracts in its own process and sends every link."""
    import json

    def crawl(name: str, workers: str) -> tuple[set[str], dict]:
        run = run_crawl(demo_server.base + "/", tmp_path / name, demo_server, NEWSCRAWL_EXTRACT_WORKERS=workers)
        assert run.returncode == 0, run.log[-3000:]
        (stats_file,) = (tmp_path / name / "logs").glob("*.json")
        urls = {r[0] for r in rows(run, "SELECT url FROM {captures}")}
        return urls, json.loads(stats_file.read_text(encoding="utf-8"))

    pooled, pooled_stats = crawl("pooled", "2")
    inline, inline_stats = crawl("inline", "0")
    assert pooled == inline and len(pooled) > 40
    assert pooled_stats["newscrawl/discovery/links_repeated"] > 100  # the menus, after the first pages
    assert "newscrawl/discovery/links_repeated" not in inline_stats
    assert pooled_stats["newscrawl/parse/articles"] == inline_stats["newscrawl/parse/articles"]
