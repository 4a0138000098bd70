"""Meta-refresh redirects: newscrawl's middleware answers as Scrapy's does, for every kind
of page, while only pages that may hold the tag are decoded; and a crawl follows one."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from newscrawl.metarefresh import MetaRefreshMiddleware, may_hold_meta_refresh
from tests.conftest import run_crawl
from tests.site.server import DemoServer

URL = "http://news.example.com/section/page.html"
FILLER = "<p>" + "Plain article text without the word. " * 200 + "</p>"
TAG = '<meta http-equiv="refresh" content="0; url=/moved.html">'


def page(head: str, body: str = FILLER) -> str:
    return f"<!DOCTYPE html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


PAGES: dict[str, tuple[bytes, str]] = {
    "no tag": (page("").encode(), "utf-8"),
    "tag": (page(TAG).encode(), "utf-8"),
    "upper-case tag": (page(TAG.upper().replace("/MOVED.HTML", "/moved.html")).encode(), "utf-8"),
    "mixed-case value": (page('<meta http-equiv="Refresh" content="0;URL=\'/moved.html\'">').encode(), "utf-8"),
    "tag after 4096 characters": (page("", FILLER + TAG).encode(), "utf-8"),
    "tag in a script": (page(f"<script>document.write('{TAG}')</script>").encode(), "utf-8"),
    "utf-16 tag": (page(TAG).encode("utf-16"), "utf-16"),
    "utf-16 no tag": (page("").encode("utf-16"), "utf-16"),
    "cp1252 tag": (page("<title>Café</title>" + TAG).encode("cp1252"), "cp1252"),
    "shift_jis tag": (page("<title>ニュース</title>" + TAG).encode("shift_jis"), "shift_jis"),
    "multibyte text before the tag": (page("<title>" + "新聞" * 1500 + "</title>" + TAG).encode(), "utf-8"),
    "refresh in the text, no tag": (page("", "<p>Refresh the page to see more.</p>").encode(), "utf-8"),
    "delay above the maximum": (page('<meta http-equiv="refresh" content="600; url=/later.html">').encode(), "utf-8"),
    "empty": (b"", "utf-8"),
}


def outcome(middleware: ScrapyMetaRefreshMiddleware, body: bytes, charset: str) -> str | None:
    request = Request(URL)
    response = HtmlResponse(URL, body=body, headers={"Content-Type": f"text/html; charset={charset}"}, request=request)
    result = middleware.process_response(request, response)
    return None if result is response else result.url


@pytest.mark.parametrize("name", PAGES)
def test_redirects_exactly_as_scrapy_does(name: str) -> None:
    body, charset = PAGES[name]
    crawler = get_crawler(settings_dict={"METAREFRESH_MAXDELAY": 100})
    ours = outcome(build_from_crawler(MetaRefreshMiddleware, crawler), body, charset)
    assert ours == outcome(build_from_crawler(ScrapyMetaRefreshMiddleware, crawler), body, charset)
    expected = "http://news.example.com/moved.html" if name in {
        "tag", "upper-case tag", "mixed-case value", "utf-16 tag", "cp1252 tag", "shift_jis tag", "multibyte text before the tag",
    } else None  # "tag in a script": a <meta> a script would write is no tag of the page (w3lib >= 2.6)
    assert ours == expected


def test_pages_without_the_word_are_not_decoded() -> None:
    assert not may_hold_meta_refresh(PAGES["no tag"][0])
    assert may_hold_meta_refresh(PAGES["refresh in the text, no tag"][0])  # asked, and Scrapy's says no
    assert may_hold_meta_refresh(PAGES["utf-16 no tag"][0])  # NUL bytes: cannot tell from bytes


def test_a_crawl_follows_a_meta_refresh(demo_server: DemoServer, tmp_path: Path) -> None:
    import duckdb

    run = run_crawl(demo_server.base + "/hostile/meta-refresh.html", tmp_path, demo_server, NEWSCRAWL_ROBOTS_SITEMAPS="false")
    assert run.returncode == 0, run.log[-3000:]
    rows = dict(duckdb.sql(
        f"SELECT regexp_extract(url, '/hostile/.*'), fetch_status FROM read_parquet('{tmp_path}/parquet/captures/**/*.parquet') "
        "WHERE url LIKE '%/hostile/%'"
    ).fetchall())
    assert rows == {"/hostile/meta-refresh.html": 200, "/hostile/refreshed.html": 200}
