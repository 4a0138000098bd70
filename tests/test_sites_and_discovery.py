"""Sites file validation and the parsers of discovery documents."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newscrawl.sites import SitesFileError, load_sites, site_from_url
from newscrawl.spiders.discovery import feed_entries, robots_sitemaps, sitemap_entries
from tests.conftest import PROJECT_ROOT
from tests.site import pages
from tests.site.content import all_articles

GOOD = """
[[sites]]
name = "demo"
start_urls = ["https://www.example.com/"]
feeds = ["https://www.example.com/rss.xml"]

[[sites]]
name = "other"
sitemaps = ["https://other.example.org/sitemap.xml"]
allowed_domains = ["other.example.org", "cdn.example.org"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_sites(tmp_path: Path) -> None:
    demo, other = load_sites(write(tmp_path, GOOD))
    assert demo.name == "demo" and demo.allowed_domains == ("www.example.com",)
    assert demo.feeds == ("https://www.example.com/rss.xml",)
    assert other.start_urls == () and other.allowed_domains == ("other.example.org", "cdn.example.org")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[sites]]\nstart_urls = ['https://a.example/']\n", "'name' is required"),
        ("[[sites]]\nname = 'a'\n", "at least one of start_urls"),
        ("[[sites]]\nname = 'a'\nstart_urls = ['ftp://a.example/']\n", "not an absolute http"),
        ("[[sites]]\nname = 'a'\nstart_urls = 'https://a.example/'\nallowed_domains = 'a.example'\n", "allowed_domains"),
        ("[[sites]]\nname = 'a'\nstart_urls = ['https://a.example/']\n[[sites]]\nname = 'a'\nfeeds = ['https://a.example/f']\n", "unique"),
        ("name = 'a'\n", "no [[sites]]"),
        ("[[sites]\n", "not valid TOML"),
    ],
)
def test_bad_sites_files_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SitesFileError, match=message.replace("[", r"\[")):
        load_sites(write(tmp_path, text))


def test_missing_sites_file(tmp_path: Path) -> None:
    with pytest.raises(SitesFileError, match="does not exist"):
        load_sites(tmp_path / "nope.toml")


def test_site_from_url() -> None:
    site = site_from_url("http://127.0.0.1:8765/")
    assert site.allowed_domains == ("127.0.0.1",) and site.start_urls == ("http://127.0.0.1:8765/",)
    with pytest.raises(SitesFileError):
        site_from_url("not a url")


BASE = "https://demo.newscrawl.test"


def test_robots_sitemaps() -> None:
    assert robots_sitemaps(pages.render_robots(BASE)) == [f"{BASE}/sitemap.xml"]


def test_sitemap_index_and_gzipped_urlset() -> None:
    index = list(sitemap_entries(pages.render_sitemap_index(BASE)))
    assert all(e.is_sitemap for e in index)
    assert [e.url for e in index] == [f"{BASE}/sitemap-articles.xml", f"{BASE}/sitemap-news.xml"]
    articles = all_articles()
    entries = list(sitemap_entries(gzip.compress(pages.render_sitemap(BASE, articles))))
    assert [e.url for e in entries] == [BASE + pages.article_path(a) for a in articles]
    assert not any(e.is_sitemap for e in entries)


def test_rss_feed_entries() -> None:
    entries = feed_entries(pages.render_feed(BASE, all_articles()), BASE + "/feed.xml")
    assert len(entries) == 15 and all(e.url.startswith(BASE) and e.title for e in entries)


def test_atom_and_rss1_feed_entries() -> None:
    atom = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>'
        b'<link rel="alternate" href="/a"/></entry><entry><title>B</title><link href="https://x.example/b"/></entry></feed>'
    )
    assert [(e.url, e.title) for e in feed_entries(atom, "https://x.example/feed")] == [
        ("https://x.example/a", "A"), ("https://x.example/b", "B"),
    ]
    rss1 = (
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        b'xmlns="http://purl.org/rss/1.0/"><item><title>C</title><link>https://x.example/c</link></item></rdf:RDF>'
    )
    assert [e.url for e in feed_entries(rss1, "https://x.example/")] == ["https://x.example/c"]


def test_feed_parser_does_not_expand_entities() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<rss><channel><item><title>&b;</title><link>https://x.example/1</link></item></channel></rss>"
    )
    (entry,) = feed_entries(bomb, "https://x.example/")
    assert "aaaaaaaaaa" not in (entry.title or "")


def test_news_sitemap_entries_carry_title_date_and_keywords() -> None:
    from datetime import datetime, timezone

    now = datetime(2026, 1, 2, tzinfo=timezone.utc)
    entries = list(sitemap_entries(pages.render_news_sitemap(BASE, all_articles(), now)))
    assert len(entries) == pages.NEWS_SITEMAP_ENTRIES
    first = entries[0]
    assert first.news_date == now.isoformat() and first.published == first.news_date
    assert first.news_title and first.news_keywords


def test_a_million_url_gzip_sitemap_is_streamed_in_flat_memory(tmp_path: Path) -> None:
    """Peak RSS of a fresh process parsing a gzip sitemap of a million URLs (46 MB inflated):
    inflating it whole would alone add 46 MB, a parsed tree far more."""
    import subprocess
    import sys

    from tests.site.hostile import SITEMAP_URLS, million_sitemap

    path = tmp_path / "million.xml.gz"
    path.write_bytes(million_sitemap("news.example"))
    script = (  # VmHWM: the process's peak resident set, in KiB
        "import sys\n"
        "from newscrawl.spiders.discovery import sitemap_entries\n"
        "peak = lambda: int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
        "body = open(sys.argv[1], 'rb').read()\n"
        "before = peak()\n"
        "count = sum(1 for _ in sitemap_entries(body))\n"
        "print(count, peak() - before)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    count, grown_kib = map(int, out.stdout.split())
    assert count == SITEMAP_URLS
    assert grown_kib < 24 * 1024, f"peak RSS grew by {grown_kib} KiB while parsing"


def test_static_shards_partition_the_sites() -> None:
    from newscrawl.spiders.news import select_shard
    from newscrawl.sites import Site

    sites = [Site(name=f"s{i}", start_urls=(f"https://www.site{i}.example/",), allowed_domains=(f"site{i}.example",)) for i in range(40)]
    parts = [select_shard(sites, str(i), "3") for i in range(3)]
    names = [s.name for part in parts for s in part]
    assert sorted(names) == sorted(s.name for s in sites) and len(names) == len(set(names))
    assert all(parts)  # every shard gets some of 40 sites
    assert select_shard(sites, "1", "3") == parts[1]  # stable
    from newscrawl.spiders.news import shard_of

    # subdomains of one registered domain share a shard (one host's politeness in one process)
    assert shard_of(Site(name="n", allowed_domains=("news.bbc.co.uk",)), 7) == shard_of(Site(name="w", allowed_domains=("www.bbc.co.uk",)), 7)
    with pytest.raises(SitesFileError):
        select_shard(sites, "3", "3")
    with pytest.raises(SitesFileError):
        select_shard(sites, "x", "3")
