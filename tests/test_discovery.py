"""Each discovery path finds exactly the articles it should (real crawls of the demo site)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import FAST_CRAWL, PROJECT_ROOT
from tests.site import pages
from tests.site.server import DemoServer


def crawl_site(server: DemoServer, tmp_path: Path, site: dict, **settings: str) -> list[tuple[str, str]]:
    """Crawl one [[sites]] entry; (url, discovery_method) of every article row."""
    lines = [f"{k} = {json.dumps(v)}" for k, v in {"name": "demo", "allowed_domains": ["127.0.0.1"], **site}.items()]
    sites = tmp_path / "sites.toml"
    sites.write_text("[[sites]]\n" + "\n".join(lines) + "\n", encoding="utf-8")
    args = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}", "-s", f"OUTPUT_ROOT={tmp_path / 'out'}"]
    for key, value in {**FAST_CRAWL, "NEWSCRAWL_ROBOTS_SITEMAPS": "false", **settings}.items():
        args += ["-s", f"{key}={value}"]
    proc = subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    if not list((tmp_path / "out").glob("parquet/articles/*/*.parquet")):
        return []
    return duckdb.sql(
        f"SELECT url, discovery_method FROM read_parquet('{tmp_path}/out/parquet/articles/**/*.parquet') ORDER BY url"
    ).fetchall()


def urls(server: DemoServer, articles) -> list[str]:
    return sorted(server.site.article_url(a) for a in articles)


def latest(server: DemoServer, n: int):
    return sorted(server.site.articles, key=lambda a: a.published, reverse=True)[:n]


def test_sitemap_index_with_gzip_sitemaps_finds_every_article(demo_server: DemoServer, tmp_path: Path) -> None:
    rows = crawl_site(demo_server, tmp_path, {"sitemaps": [demo_server.base + "/sitemap.xml"]}, DEPTH_LIMIT="2")
    assert [u for u, _ in rows] == urls(demo_server, demo_server.site.articles)
    assert {m for _, m in rows} <= {"sitemap", "news_sitemap"}


def test_news_sitemap_entries_older_than_max_age_are_skipped(demo_server: DemoServer, tmp_path: Path) -> None:
    site = {"sitemaps": [demo_server.base + "/sitemap-news.xml"], "max_age_days": 2}
    rows = crawl_site(demo_server, tmp_path, site, DEPTH_LIMIT="1")
    recent = pages.news_sitemap_articles(demo_server.site.articles)[:4]  # 0, 12, 24, 36 hours old
    assert [u for u, _ in rows] == urls(demo_server, recent)
    assert {m for _, m in rows} == {"news_sitemap"}


def test_rss_feed(demo_server: DemoServer, tmp_path: Path) -> None:
    rows = crawl_site(demo_server, tmp_path, {"feeds": [demo_server.base + "/feed.xml"]}, DEPTH_LIMIT="1")
    assert [u for u, _ in rows] == urls(demo_server, latest(demo_server, 15))


def test_atom_feed(demo_server: DemoServer, tmp_path: Path) -> None:
    rows = crawl_site(demo_server, tmp_path, {"feeds": [demo_server.base + "/atom.xml"]}, DEPTH_LIMIT="1")
    assert [u for u, _ in rows] == urls(demo_server, latest(demo_server, 10))


def test_autodiscovered_feed(demo_server: DemoServer, tmp_path: Path) -> None:
    rows = crawl_site(demo_server, tmp_path, {"start_urls": [demo_server.base + "/feeds.html"]}, DEPTH_LIMIT="2")
    assert [u for u, _ in rows] == urls(demo_server, latest(demo_server, 10))
    assert {m for _, m in rows} == {"feed"}


def test_section_pages_are_followed_through_pagination(demo_server: DemoServer, tmp_path: Path) -> None:
    site = {
        "start_urls": [demo_server.base + "/news/russia/"],
        "article_deny": ["/business/", "/science/", "/latin-america/", "/tag/", "/author/", "/about", "/private/",
                         r"\.xml$", r"^https?://[^/]+/$", "/old/", "/chain/", "/broken", "/truncated", "/news/missing"],
    }
    rows = crawl_site(demo_server, tmp_path, site, DEPTH_LIMIT="2")
    russia = [a for a in demo_server.site.articles if a.section == ("News", "Russia")]
    assert len(russia) > pages.PAGE_SIZE  # the section has a second page
    assert [u for u, _ in rows] == urls(demo_server, russia)


def test_article_allow_patterns_fetch_articles_first(demo_server: DemoServer, tmp_path: Path) -> None:
    before = len(demo_server.site.served)
    site = {"start_urls": [demo_server.base + "/"], "article_allow": [r"/stories/"]}
    crawl_site(demo_server, tmp_path, site, DEPTH_LIMIT="1", CONCURRENT_REQUESTS="1")
    served = demo_server.site.served[before:]
    after_home = served[served.index("/") + 1 :]
    on_home = {pages.article_path(a) for a in sorted(demo_server.site.articles, key=lambda a: a.published, reverse=True)[:8]}
    stories = {p for p in on_home if p.startswith("/stories/")}
    assert stories and set(after_home[: len(stories)]) == stories  # fetched before anything else found there


@pytest.mark.parametrize("bad", ['article_deny = ["("]', "max_age_days = -1", 'profile = "not a module!"', "colour = 1"])
def test_bad_site_options_are_refused(bad: str, tmp_path: Path) -> None:
    from newscrawl.sites import SitesFileError, load_sites

    path = tmp_path / "s.toml"
    path.write_text(f'[[sites]]\nname = "a"\nstart_urls = ["https://a.example/"]\n{bad}\n', encoding="utf-8")
    with pytest.raises(SitesFileError):
        load_sites(path)
