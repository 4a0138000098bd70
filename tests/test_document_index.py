"""The shared indexes of a parsed page, held to their plain definitions on every saved page:
the fast walks that build them must find exactly what the obvious XPath finds."""

from __future__ import annotations

import json
import re
from copy import deepcopy
from pathlib import Path

import pytest
from lxml import etree

from newscrawl.extract.document import Document, _remove_keeping_tail, decode_html, parse_decoded, parse_html, prepare_tree
from newscrawl.extract.page_parts import STANDFIRST_WORDS
from newscrawl.extract.text import BLOCK_TAGS, SKIP_TAGS

PAGES = sorted(p for p in (Path(__file__).parent / "pages").iterdir() if (p / "body.html").exists())
NAMED = etree.XPath("//*[@class or @id or @role or @itemprop or @aria-label or @rel]")
HIDDEN = etree.XPath("//*[@hidden or contains(@style, 'none') or contains(@style, 'hidden')]")
SCREEN_READER_ONLY = {"sr-only", "visually-hidden", "screen-reader-text"}
DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
EDGE = b"""<html><body class="Lead"><div id="x" rel="tag"></div><p rel="author">a</p>
<div class="intro lead" style="display:none" hidden>x</div><div class="sub-headline&#10;teaser">y</div>
<span aria-label="Summary box" itemprop="description">z</span><i class="leader">no</i><b class="x_dek">yes</b>
<div style="visibility: hidden"><p style="DISPLAY:NONE">nested</p></div><p style="color:none">kept</p>
<h3>Kicker<span class="sr-only">: said twice</span>Title</h3><span class="x sr-only-focusable">focus</span>
<span class="visually-hidden">unseen</span><span class="wp screen-reader-text">unheard</span><span class="not.sr-only">dotted</span></body></html>"""


def _documents() -> list[tuple[str, bytes]]:
    return [(p.name, (p / "body.html").read_bytes()) for p in PAGES] + [("edge", EDGE)]


@pytest.mark.parametrize(("name", "body"), _documents(), ids=lambda v: v if isinstance(v, str) else "")
def test_named_index_is_every_element_with_a_name(name: str, body: bytes) -> None:
    doc = Document.from_bytes(body, "https://news.example/a.html")
    expected = [(el, " ".join(v for k, v in el.items() if k in ("class", "id", "role", "itemprop", "aria-label")).lower())
                for el in NAMED(doc.tree)]
    assert [(el.tag, words) for el, words in doc.named] == [(el.tag, words) for el, words in expected]
    assert all(a is b for (a, _), (b, _) in zip(doc.named, expected))


@pytest.mark.parametrize(("name", "body"), _documents(), ids=lambda v: v if isinstance(v, str) else "")
def test_named_with_words_is_a_whole_word_search_per_element(name: str, body: bytes) -> None:
    doc = Document.from_bytes(body, "https://news.example/a.html")
    for words in (STANDFIRST_WORDS, ("byline", "author", "article-author"), ("t", "a-b", "body")):
        definition = re.compile(r"(?<![^\s_-])(?:" + "|".join(map(re.escape, words)) + r")(?![^\s_-])")
        assert doc.named_with_words(words) == [(el, w) for el, w in doc.named if definition.search(w)]


@pytest.mark.parametrize(("name", "body"), _documents(), ids=lambda v: v if isinstance(v, str) else "")
def test_hidden_elements_are_the_ones_styled_or_marked_hidden(name: str, body: bytes) -> None:
    tree = parse_html(decode_html(body)[0])
    reference = deepcopy(tree)
    prepare_tree(tree)
    for button in reference.iter("button"):  # the definition, step by step: a button holding a link stays, as a span
        if any(link.get("href") is not None for link in button.iter("a")):
            button.tag = "span"
    etree.strip_elements(reference, *SKIP_TAGS, with_tail=False)
    for el in HIDDEN(reference):
        if (DISPLAY_NONE.search(el.get("style") or "") or el.get("hidden") is not None) and el.getparent() is not None:
            _remove_keeping_tail(el, el.getparent())
    for el in reference.iter(*BLOCK_TAGS, "br"):
        el.tail = ("\n" if el.tag == "br" else " ") + (el.tail or "")
    assert etree.tostring(tree) == etree.tostring(reference)


@pytest.mark.parametrize(("name", "body"), _documents(), ids=lambda v: v if isinstance(v, str) else "")
def test_screen_reader_text_is_dropped_leaving_a_space(name: str, body: bytes) -> None:
    doc = Document.from_bytes(body, "https://news.example/a.html")
    reference = parse_html(decode_html(body)[0])
    prepare_tree(reference)
    for el in list(reference.iter()):  # the definition: class tokens, the tail kept after a space
        if SCREEN_READER_ONLY & set((el.get("class") or "").split()) and el.getparent() is not None:
            el.tail = " " + (el.tail or "")
            _remove_keeping_tail(el, el.getparent())
    assert etree.tostring(doc.tree) == etree.tostring(reference)


def test_edge_cases() -> None:
    doc = Document.from_bytes(EDGE, "https://news.example/a.html")
    assert [w for _, w in doc.named_with_words(STANDFIRST_WORDS)] == ["lead", "sub-headline\nteaser", "summary box description", "x_dek"]
    text = doc.tree.xpath("string()")
    assert "kept" in text and "nested" not in text
    assert "Kicker Title" in text and "focus" in text and "dotted" in text
    assert all(phrase not in text for phrase in ("said twice", "unseen", "unheard"))  # screen readers only
    assert [el.tag for el, w in doc.named if w == ""] == ["p"]  # rel only
    assert json.dumps([w for _, w in doc.named])  # plain strings


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        ("<html><body><p>Grüße – “quoted” 東京</p></body></html>".encode(), None),
        (b"\xef\xbb\xbf<html><body><p>BOM first</p></body></html>", None),
        (b"<html><body><p>broken \xff\xfe bytes</p></body></html>", {"Content-Type": "text/html; charset=utf-8"}),
        ("<p>a literal \ufffd replacement character</p>".encode(), None),
        (b'<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>XHTML</p></body></html>', None),
        ("<html><head><meta charset='iso-8859-1'></head><body><p>Gr\xfc\xdfe</p></body></html>".encode("latin-1"), None),
        (b"<html><body><p>control\x01\x0b bytes \xef\xbf\xbe gone</p></body></html>", {"content-type": "text/html; charset=UTF-8"}),
        (b"", None),
    ],
)
def test_utf8_pages_parse_from_their_bytes_as_from_their_text(body: bytes, headers: dict[str, str] | None) -> None:
    text, encoding = decode_html(body, headers)
    assert etree.tostring(parse_decoded(body, text, encoding)) == etree.tostring(parse_html(text))


_TEXT = "<p>" + "Words of the article that fill its paragraphs one after another. " * 8 + "</p>"
WRAPPERS = [
    # ASP.NET's page-wide form and a theme's content column in <aside>: layout
    (f"<body><form id='aspnetForm'><div><h1>Title</h1>{_TEXT}{_TEXT}</div><p>Footer</p></form></body>", ["form"]),
    (f"<body><nav><a href='/'>Home</a></nav><aside class='col-8'><article><h1>Title</h1>{_TEXT}</article></aside></body>", ["aside"]),
    # a real sidebar, a site header with the logo's <h1>, an article's footer with the
    # comments (each an <article>): chrome, however much text they hold
    (f"<body><main><h1>Title</h1>{_TEXT}</main><aside><h3>More</h3><p>Teaser text</p></aside></body>", []),
    (f"<body><header><h1>Site</h1><a href='/'>Home</a></header><div>{_TEXT}</div></body>", []),
    (f"<body><article><h1>Title</h1><p>Short.</p><footer><article>{_TEXT}</article><article>{_TEXT}</article></footer></article></body>", []),
    (f"<body><div><h1>Title</h1>{_TEXT}</div><footer><p>{_TEXT}</p></footer></body>", []),
]


@pytest.mark.parametrize(("page", "tags"), WRAPPERS)
def test_layout_wrappers_are_chrome_tags_holding_the_page(page: str, tags: list[str]) -> None:
    doc = Document.from_bytes(f"<html>{page}</html>".encode(), "https://news.example/a.html")
    assert sorted(el.tag for el in doc.layout_wrappers) == tags
    for el in doc.tree.iter("nav", "footer", "aside", "form", "header"):
        assert doc.is_chrome(el) == (el.tag not in tags)
