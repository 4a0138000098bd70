"""A crawl of the hostile site finishes, archives every exchange and counts every problem."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import run_crawl
from tests.site.content import all_articles
from tests.site.hostile import GIANT_BYTES, HOSTILE
from tests.site.server import DemoServer


def test_hostile_pages_are_counted_explained_and_never_crash_the_crawl(tmp_path: Path) -> None:
    from tests.site.hostile import _bomb

    _bomb()  # built before the crawl: the server must answer the other pages promptly
    with DemoServer(articles=all_articles()[:2]) as server:
        run = run_crawl(
            server.base + "/hostile/", tmp_path, server,
            DOWNLOAD_TIMEOUT="4", RETRY_ENABLED="false", DEPTH_LIMIT="1", DOWNLOAD_MAXSIZE=str(10 * 1024 * 1024),
            NEWSCRAWL_ROBOTS_SITEMAPS="false",
        )
        run2 = run_crawl(server.base + "/hostile/bomb-sitemap.xml", tmp_path / "sitemap", server, RETRY_ENABLED="false")
        # Scrapy's default DOWNLOAD_MAXSIZE (64 MB) lets the 50 MB page start; our limit cuts it
        giant = run_crawl(server.base + "/hostile/giant.html", tmp_path / "giant", server, NEWSCRAWL_MAX_BODY_BYTES=str(4 * 1024 * 1024))
        million = run_crawl(
            server.base + "/hostile/million-sitemap.xml.gz", tmp_path / "million", server,
            NEWSCRAWL_SITEMAP_MAX_URLS="2000", CLOSESPIDER_PAGECOUNT="30", NEWSCRAWL_ROBOTS_SITEMAPS="false",
        )
    assert run.returncode == 0, run.log[-3000:]
    assert "CRITICAL" not in run.log and "Unhandled error" not in run.log
    stats = json.loads(sorted((tmp_path / "logs").glob("*.json"))[-1].read_text())
    rows = dict(duckdb.sql(
        f"SELECT regexp_extract(url, '/hostile/[^?]*'), coalesce(error, content_truncated, CAST(fetch_status AS VARCHAR)) "
        f"FROM read_parquet('{tmp_path}/parquet/captures/**/*.parquet')"
    ).fetchall())
    for path in HOSTILE:
        if path not in ("/hostile/bomb-sitemap.xml", "/hostile/million-sitemap.xml.gz"):  # crawled on their own below
            assert path in rows, f"{path} has no captures row"
    assert rows["/hostile/slow.html"].startswith("DownloadTimeoutError") and "took longer than" in rows["/hostile/slow.html"]
    assert rows["/hostile/reset.html"] == "disconnect"  # the part that came is archived, marked truncated
    assert rows["/hostile/gzip-bomb.html"] == "200"  # archived as sent (compressed); never inflated past DOWNLOAD_MAXSIZE
    assert rows["/hostile/loop-a"] == "302" and rows["/hostile/loop-b"] == "302"
    assert stats["newscrawl/spider/non_html/image/png"] == 1  # the lying Content-Type is archived, not parsed
    non_articles = sum(v for k, v in stats.items() if k.startswith("newscrawl/parse/non_article/"))
    assert non_articles >= 4  # binary, empty, deep, mixed charset... recognised, not junk articles
    assert stats.get("newscrawl/parse/failed") is None and not any(k.startswith("newscrawl/parse/failed/") for k in stats)
    assert run2.returncode in (0, 4)  # the entity bomb is parsed without expanding entities
    assert "lollollol" * 100 not in run2.log
    # 50 MB with a 10 MB DOWNLOAD_MAXSIZE: refused at the headers, the reason in its row
    assert "larger than download max size" in rows["/hostile/giant.html"]

    # 50 MB under the default DOWNLOAD_MAXSIZE: cut at NEWSCRAWL_MAX_BODY_BYTES, archived as truncated
    assert giant.returncode == 0, giant.log[-3000:]
    (truncated,), = duckdb.sql(
        f"SELECT content_truncated FROM read_parquet('{tmp_path}/giant/parquet/captures/**/*.parquet') WHERE url LIKE '%giant.html'"
    ).fetchall()
    assert truncated == "length"
    warc, = (tmp_path / "giant").glob("warc/*/*.warc.gz")
    with open(warc, "rb") as f:
        kept = [
            (r.rec_headers.get_header("WARC-Truncated"), len(r.content_stream().read()))
            for r in ArchiveIterator(f)
            if r.rec_type == "response" and r.rec_headers.get_header("WARC-Target-URI").endswith("giant.html")
        ]
    (reason, size), = kept
    assert reason == "length" and 4 * 1024 * 1024 <= size < GIANT_BYTES  # what arrived up to the limit is kept

    # a million-URL sitemap: capped at NEWSCRAWL_SITEMAP_MAX_URLS (the scheduler's memory), counted, logged
    assert million.returncode == 0, million.log[-3000:]
    million_stats = json.loads(sorted((tmp_path / "million" / "logs").glob("*.json"))[-1].read_text())
    assert million_stats["newscrawl/discovery/sitemap_urls"] == 2000
    assert million_stats["newscrawl/discovery/sitemap_capped"] == 1
    assert "more than 2000 article URLs" in million.log
