"""Scheduled crawls of a site that changes: only what is new is fetched and stored."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import run_crawl
from tests.site.content import all_articles
from tests.site.server import DemoServer


def article_rows(root: Path) -> list[tuple]:
    return duckdb.sql(
        f"SELECT url, article_id, crawl_id, headline FROM read_parquet('{root}/parquet/articles/**/*.parquet') ORDER BY fetch_time"
    ).fetchall()


def served_articles(served: list[str], server: DemoServer) -> list[str]:
    paths = {server.site.article_url(a).removeprefix(server.base) for a in server.site.articles}
    return [p for p in served if p in paths]


@pytest.fixture()
def small_site() -> DemoServer:
    """A site of its own (tests change its articles): the first 20 demo articles."""
    with DemoServer(articles=all_articles()[:20]) as server:
        yield server


def test_second_run_fetches_no_unchanged_article_and_archives_304s(small_site: DemoServer, tmp_path: Path) -> None:
    first = run_crawl(small_site.base + "/", tmp_path, small_site)
    second = run_crawl(small_site.base + "/", tmp_path, small_site)
    assert first.returncode == 0 and second.returncode == 0, second.log[-2000:]
    assert len(served_articles(first.served, small_site)) == 20
    assert served_articles(second.served, small_site) == []
    assert len(article_rows(tmp_path)) == 20
    assert "/sitemap.xml" in second.served and "/feed.xml" in second.served and "/" in second.served
    second_warc = sorted(tmp_path.glob("warc/*/*.warc.gz"))[-1]
    with open(second_warc, "rb") as f:
        revisits = {
            r.rec_headers.get_header("WARC-Target-URI").removeprefix(small_site.base): r.rec_headers.get_header("WARC-Profile")
            for r in ArchiveIterator(f)
            if r.rec_type == "revisit"
        }
    # robots.txt is fetched unconditionally (its unchanged body is an identical-payload revisit)
    assert revisits.pop("/robots.txt").endswith("/revisit/identical-payload-digest")
    assert revisits and all(p.endswith("/revisit/server-not-modified") for p in revisits.values())
    stats = json.loads(sorted((tmp_path / "logs").glob("*.json"))[-1].read_text())
    assert stats["newscrawl/incremental/conditional"] >= len(revisits)
    assert stats["newscrawl/exit_status"] == 0


def test_three_new_articles_give_exactly_three_new_rows(small_site: DemoServer, tmp_path: Path) -> None:
    run_crawl(small_site.base + "/", tmp_path, small_site)
    before = article_rows(tmp_path)
    newer = all_articles()[20:23]
    small_site.site.publish(small_site.site.articles + newer)
    third = run_crawl(small_site.base + "/", tmp_path, small_site)
    assert third.returncode == 0
    rows = article_rows(tmp_path)
    added = rows[len(before):]
    assert sorted(r[0] for r in added) == sorted(small_site.site.article_url(a) for a in newer)
    assert len({r[1] for r in rows}) == len(rows) == 23


def test_refreshed_articles_that_changed_become_new_rows(small_site: DemoServer, tmp_path: Path) -> None:
    run_crawl(small_site.base + "/", tmp_path, small_site)
    changed = small_site.site.articles[5]
    edited = replace(changed, paragraphs=changed.paragraphs + ("Update: the council has since confirmed the figures.",))
    small_site.site.publish([edited if a is changed else a for a in small_site.site.articles])
    run = run_crawl(small_site.base + "/", tmp_path, small_site, NEWSCRAWL_REFRESH_DAYS="100000")
    assert run.returncode == 0
    rows = article_rows(tmp_path)
    updates = [r for r in rows if r[0] == small_site.site.article_url(edited)]
    assert len(rows) == 21 and len(updates) == 2 and updates[0][1] == updates[1][1]
    assert len(served_articles(run.served, small_site)) == 20  # every young article re-fetched, conditionally


def test_the_same_article_under_url_variants_is_stored_once(small_site: DemoServer, tmp_path: Path) -> None:
    article = next(a for a in small_site.site.articles if a.style == "jsonld")
    url = small_site.site.article_url(article)
    sites = tmp_path / "sites.toml"
    variants = [url, url + "?utm_source=newsletter", url + "?ref=rss&utm_medium=email"]
    sites.write_text(f'[[sites]]\nname = "demo"\nstart_urls = {json.dumps(variants)}\nallowed_domains = ["127.0.0.1"]\n')
    import subprocess
    import sys

    from tests.conftest import FAST_CRAWL, PROJECT_ROOT

    args = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}", "-s", f"OUTPUT_ROOT={tmp_path / 'out'}", "-s", "DEPTH_LIMIT=0"]
    for key, value in {**FAST_CRAWL, "DEPTH_LIMIT": "1"}.items():
        args += ["-s", f"{key}={value}"]
    proc = subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = duckdb.sql(
        f"SELECT url, article_id FROM read_parquet('{tmp_path}/out/parquet/articles/**/*.parquet') WHERE headline = ?",
        params=[article.headline],
    ).fetchall()
    assert len(rows) == 1
    (n,), = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{tmp_path}/out/parquet/captures/**/*.parquet') WHERE url LIKE '%{url.split('/')[-2]}%'"
    ).fetchall()
    assert n == 3  # all three variants were fetched and archived


def test_jobdir_pause_and_resume_stores_every_article_once(small_site: DemoServer, tmp_path: Path) -> None:
    import signal
    import subprocess

    from tests.conftest import PROJECT_ROOT, crawl_args, start_crawl, wait_until

    # one request at a time: a graceful stop completes every request already handed to the
    # downloader (up to CONCURRENT_REQUESTS), which could otherwise be the whole small site
    settings = {"JOBDIR": str(tmp_path / "job"), "NEWSCRAWL_MIN_DELAY": "0.1", "CONCURRENT_REQUESTS": "1", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    args = crawl_args(small_site.base + "/", tmp_path / "out", **settings)
    proc = start_crawl(small_site.base + "/", tmp_path / "out", **settings)
    wait_until(lambda: len(served_articles(small_site.site.served, small_site)) >= 5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3, err[-2000:]  # interrupted
    first = len(article_rows(tmp_path / "out"))
    assert 0 < first < 20
    resumed = subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    rows = article_rows(tmp_path / "out")
    assert sorted(r[0] for r in rows) == sorted(small_site.site.article_url(a) for a in small_site.site.articles)
