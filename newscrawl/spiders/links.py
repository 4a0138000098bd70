"""The links of a response, for pages whose extraction did not find them: the fallback when
no extraction worker parsed the page (a 304 replayed from the archive, a failed extraction,
the parse pipeline switched off). The rules are ``newscrawl.extract.outlinks``'."""

from __future__ import annotations

from lxml import etree
from scrapy.http import TextResponse

from newscrawl.extract.outlinks import PageLinks, links_in

_PARSERS: dict[str, etree.HTMLParser] = {}


def link_tree(response: TextResponse) -> etree._Element:
    """The page parsed for its links: lxml straight from the body bytes in the response's
    encoding (half the cost of parsel's Selector, which decodes, re-encodes and builds
    HtmlElement proxies); parsel's tree when libxml2 does not know the encoding."""
    encoding = response.encoding
    parser = _PARSERS.get(encoding)
    if parser is None:
        parser = _PARSERS.setdefault(encoding, etree.HTMLParser(encoding=encoding, remove_comments=True))
    try:
        root = etree.fromstring(response.body, parser) if response.body.strip() else None
    except (LookupError, ValueError, etree.LxmlError):
        root = None
    return root if root is not None else response.selector.root


def response_links(response: TextResponse) -> PageLinks:
    """The page and feed links of a response, from a parse of its own."""
    return links_in(link_tree(response), response.url, response.encoding)


def page_links(response: TextResponse) -> list[str]:
    """Absolute http(s) URLs the page links to, in page order, each once."""
    return response_links(response).pages
