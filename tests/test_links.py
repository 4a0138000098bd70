"""The fast link finder yields what Scrapy's LinkExtractor yields (fragments aside: the
duplicate filter ignores them), on every saved page and on hand-made edge cases, whether the
spider parses the page for them or the extraction finds them in its own parse."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS, LinkExtractor

from newscrawl.extract import extract_page
from newscrawl.extract import outlinks

from newscrawl.spiders.links import page_links, response_links
from tests.site.content import all_articles
from tests.site.server import DemoSite

PAGES = Path(__file__).parent / "pages"
URL = "https://news.example/world/2026/11/story.html"
EDGE_CASES = """<html><head><base href="https://news.example/base/"></head><body>
<a href="https://news.example/a?b=1#frag">absolute</a> <a href="/root/path">root</a> <a href="rel/page">relative</a>
<a href="../up/page.html">dot segments</a> <a href="//cdn.example/x">scheme-relative</a> <a href="#top">own anchor</a>
<a href="javascript:void(0)">js</a> <a href="mailto:a@b.c">mail</a> <a href="tel:123">tel</a> <a href="  /spaced  ">spaces</a>
<a href="https://news.example/photo.JPG">image</a> <a href="https://news.example/doc.pdf?x=1">pdf</a>
<a href="https://host.com.au">a .au host, not an audio file</a> <a href="https://host.example?q=1">no path</a>
<a href="/caf\u00e9/na\u00efve">non-ascii</a> <a href="/a b/{c}">unsafe</a> <a href="/empty?">empty query</a>
<area href="/map/area"> <a href="/root/path">repeated</a> <a>no href</a>
</body></html>"""


def _extractor_urls(response: HtmlResponse) -> list[str]:
    return list(dict.fromkeys(link.url.split("#", 1)[0] for link in LinkExtractor(unique=True).extract_links(response)))


def _pages() -> list[tuple[str, bytes]]:
    saved = [(p.name, (p / "body.html").read_bytes()) for p in sorted(PAGES.iterdir()) if (p / "body.html").exists()]
    site = DemoSite("http://127.0.0.1:8000", all_articles()[:30])
    demo = [(f"demo{path}", site.page(path, "").body) for path in ("/", *[site.article_url(a).removeprefix(site.base) for a in site.articles[:5]])]
    return [*saved, *demo, ("edge-cases", EDGE_CASES.encode())]


@pytest.mark.parametrize(("name", "body"), _pages(), ids=lambda v: v if isinstance(v, str) else "")
def test_same_links_as_scrapys_link_extractor(name: str, body: bytes) -> None:
    response = HtmlResponse(URL, body=body, encoding="utf-8")
    ours = page_links(response)
    assert len(ours) == len(set(ours))
    assert set(ours) == set(_extractor_urls(response))


@pytest.mark.parametrize(("name", "body"), _pages(), ids=lambda v: v if isinstance(v, str) else "")
def test_extraction_finds_the_same_links_in_its_own_parse(name: str, body: bytes) -> None:
    response = HtmlResponse(URL, body=body, encoding="utf-8", headers={"Content-Type": "text/html; charset=utf-8"})
    found = extract_page(body, URL, {"content-type": "text/html; charset=utf-8"}, links=True).links
    assert found is not None
    assert found.pages == page_links(response)
    assert found.alternates == response_links(response).alternates


def test_hidden_menus_and_feeds_are_links_too() -> None:
    """Extraction strips hidden elements and scripts from its tree; their links still count."""
    body = b"""<html><head><base href="/base/"><link rel="alternate" type="application/rss+xml" href=" feed.xml ">
    </head><body><nav style="display:none"><a href="/hidden-section/">menu</a></nav><noscript><a href="/ns">x</a></noscript>
    <article><h1>T</h1><p>Text.</p></article></body></html>"""
    found = extract_page(body, URL, links=True).links
    assert found is not None
    assert found.pages == ["https://news.example/hidden-section/", "https://news.example/ns"]
    assert found.alternates == [("application/rss+xml", "https://news.example/base/feed.xml")]
    assert extract_page(body, URL).links is None  # only when asked for


def test_ignored_extensions_are_scrapys() -> None:
    assert outlinks.IGNORED_EXTENSIONS == tuple(IGNORED_EXTENSIONS)


def test_edge_cases_resolve_like_a_browser() -> None:
    links = page_links(HtmlResponse(URL, body=EDGE_CASES.encode(), encoding="utf-8"))
    assert "https://news.example/a?b=1" in links and "https://news.example/base/rel/page" in links
    assert "https://news.example/up/page.html" in links and "https://cdn.example/x" in links
    assert "https://news.example/base/" in links  # "#top": the page (its base) itself
    assert "https://host.com.au/" in links and "https://host.example/?q=1" in links
    assert "https://news.example/caf%C3%A9/na%C3%AFve" in links and "https://news.example/map/area" in links
    assert not any(u.endswith((".JPG", ".pdf?x=1")) or u.startswith(("javascript", "mailto", "tel")) for u in links)
