"""The links of a page, read from its one parsed tree: the URLs a crawler follows next.

What Scrapy's LinkExtractor(unique=True) yields for <a> and <area> hrefs, from one compiled
XPath: whitespace stripped, joined with the page's base URL, fragments dropped, non-ASCII
percent-encoded, javascript:/mailto: and other non-HTTP schemes skipped, links to files that
are not pages (images, documents, archives, media: Scrapy's IGNORED_EXTENSIONS) skipped, each
URL once. LinkExtractor costs ~18 ms on an 80 KB page with 400 links (a Link object, URL
canonicalisation checks and regex filters per link); this well under one.

Pure code like the rest of ``newscrawl.extract``: the extraction workers find a page's links
in the tree they parse for its article anyway, so the crawl process does not parse it again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from w3lib.url import safe_url_string

# scrapy.linkextractors.IGNORED_EXTENSIONS (tests/test_links.py holds the two equal): copied,
# because extraction does not import Scrapy
IGNORED_EXTENSIONS = (
    # archives
    "7z", "7zip", "bz2", "rar", "tar", "tar.gz", "xz", "zip",
    # images
    "mng", "pct", "bmp", "gif", "jpg", "jpeg", "png", "pst", "psp", "tif", "tiff", "ai", "drw", "dxf", "eps", "ps", "svg",
    "cdr", "ico", "webp",
    # audio
    "mp3", "wma", "ogg", "wav", "ra", "aac", "mid", "au", "aiff",
    # video
    "3gp", "asf", "asx", "avi", "mov", "mp4", "mpg", "qt", "rm", "swf", "wmv", "m4a", "m4v", "flv", "webm",
    # office suites
    "xls", "xlsm", "xlsx", "xltm", "xltx", "potm", "potx", "ppt", "pptm", "pptx", "pps", "doc", "docb", "docm", "docx",
    "dotm", "dotx", "odt", "ods", "odg", "odp",
    # other
    "css", "pdf", "exe", "bin", "rss", "dmg", "iso", "apk", "jar", "sh", "rb", "js", "hta", "bat", "cpl", "msi", "msp", "py",
)

_HREFS = etree.XPath("//a/@href | //area/@href", smart_strings=False)
_BASE = etree.XPath("(//base[@href])[1]/@href", smart_strings=False)
_ALTERNATES = etree.XPath("//link[@rel='alternate'][@href]")
_IGNORED = frozenset("." + ext for ext in IGNORED_EXTENSIONS)
_HOST_END = re.compile(r"[/?]")
# a character safe_url_string would percent-encode (RFC 3986 allows the others)
_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]")


@dataclass(frozen=True)
class PageLinks:
    """Where a page leads: its page links in page order, and the feeds it announces."""

    pages: list[str] = field(default_factory=list)
    alternates: list[tuple[str, str]] = field(default_factory=list)
    """(type attribute lower-cased, absolute URL) of each <link rel="alternate" href>."""
    repeated: int = 0
    """Page links left out of ``pages`` because the extraction worker had reported them for
    an earlier page at this depth or less (``pipelines.extract_pool.ReportedLinks``)."""


def base_url(tree: etree._Element, url: str) -> str:
    """The page's <base href> resolved against its URL, else its URL."""
    base = _BASE(tree)
    return urljoin(url, base[0].strip()) if base else url


def links_in(tree: etree._Element, url: str, encoding: str = "utf-8") -> PageLinks:
    """The links of a parsed page at ``url``; ``encoding`` is the page's, which a query's
    non-ASCII characters are percent-encoded in (as browsers and Scrapy do)."""
    base = base_url(tree, url)
    alternates = [((link.get("type") or "").lower(), urljoin(base, link.get("href").strip())) for link in _ALTERNATES(tree)]
    return PageLinks(pages=_page_urls(tree, base, encoding), alternates=alternates)


def _page_urls(tree: etree._Element, base: str, encoding: str) -> list[str]:
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    resolved = _RESOLVED
    if len(resolved) > _RESOLVED_MAX:
        resolved.clear()
    seen: set[str] = set()
    links = []
    for href in _HREFS(tree):
        key = (origin, href, encoding)
        url = resolved.get(key, _MISS)
        if url is _MISS:
            url, same_everywhere = _resolve(href, base, origin, encoding)
            if same_everywhere:
                resolved[key] = url
        if url is not None and url not in seen:
            seen.add(url)
            links.append(url)
    return links


# The site's menu links are the same hrefs on every page: how an absolute or root-relative
# href resolves on a site is remembered (most of a page's links are a lookup, not a parse).
_RESOLVED: dict[tuple[str, str, str], str | None] = {}
_RESOLVED_MAX = 50_000
_MISS = object()


def _resolve(href: str, base: str, origin: str, encoding: str) -> tuple[str | None, bool]:
    """(the URL an href leads to or None when it is not followed, whether that is the same on
    every page of the origin: true for absolute and root-relative hrefs)."""
    href = href.strip()
    if not href:
        return None, True
    same_everywhere = False
    if href[0] == "#":
        url = base  # the page itself (or its <base href>)
    elif href.startswith(("http://", "https://")):
        url, same_everywhere = href, True  # most links: urljoin would only split and re-join them
    elif href[0] == "/" and href[1:2] != "/" and "/." not in href:
        url, same_everywhere = origin + href, True  # root-relative without dot segments
    else:
        url = urljoin(base, href)
        if not url.startswith(("http://", "https://", "HTTP://", "HTTPS://")):
            return None, False
    url = url.split("#", 1)[0]
    if url[-1] == "?":
        url = url[:-1]  # an empty query, as urljoin writes it
    if _UNSAFE.search(url):
        url = safe_url_string(url, encoding)
    host = url.find("//") + 2
    end = _HOST_END.search(url, host)
    if end is None:  # as safe_url_string writes it (w3lib >= 2.6): "https://host" -> "https://host/"
        url += "/"
        path = "/"
    elif end.group() == "?":  # "https://host?q" -> "https://host/?q"
        url = url[: end.start()] + "/" + url[end.start() :]
        path = "/"
    else:
        path = url[end.start() :].split("?", 1)[0]
    dot = path.rfind(".")
    if dot > path.rfind("/") and path[dot:].lower() in _IGNORED:
        return None, same_everywhere
    return url, same_everywhere
