"""A crawl of the hostile site finishes, archives every exchange and counts every problem."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from tests.conftest import run_crawl
from tests.site.content import all_articles
from tests.site.hostile import HOSTILE
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
    assert run.returncode == 0, run.log[-3000:]
    assert "CRITICAL" not in run.log and "Unhandled error" not in run.log
    stats = json.loads(sorted((tmp_path / "logs").glob("*.json"))[-1].read_text())
    rows = dict(duckdb.sql(
        f"SELECT regexp_extract(url, '/hostile/[^?]*'), coalesce(error, content_truncated, CAST(fetch_status AS VARCHAR)) "
        f"FROM read_parquet('{tmp_path}/parquet/captures/**/*.parquet')"
    ).fetchall())
    for path in HOSTILE:
        if path != "/hostile/bomb-sitemap.xml":
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
