"""Hostile input never escapes the extractor as an exception, and whatever comes out fits
the articles table (property-based: random bytes, mutated pages, random JSON-LD)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.extract import extract_page
from newscrawl.items import ArticleItem
from pipelines.parquet import item_row
from pipelines.schema import ARTICLES_SCHEMA

PAGE = (Path(__file__).parent / "pages" / "jsonld-newsarticle" / "body.html").read_bytes()
# derandomize: CI runs the same examples every time (no flaky red); database=None: no .hypothesis/ dir
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True, database=None)


def fits_the_schema(body: bytes, url: str = "https://fuzz.example/a") -> None:
    result = extract_page(body, url, {"Content-Type": "text/html"})
    article = result.article
    row = item_row(ArticleItem(url=url, **{k: v for k, v in vars(article).items() if k != "url"}))
    pa.Table.from_pylist([row], schema=ARTICLES_SCHEMA)  # raises if a value does not fit


@FUZZ
@given(st.binary(max_size=4000))
def test_random_bytes(body: bytes) -> None:
    fits_the_schema(body)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(PAGE)), st.integers(0, 400), st.binary(max_size=40)), max_size=8))
def test_mutated_real_page(edits: list[tuple[int, int, bytes]]) -> None:
    body = bytearray(PAGE)
    for position, cut, insert in edits:
        body[position : position + cut] = insert
    fits_the_schema(bytes(body))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["@type", "@graph", "@id", "headline", "author", "name", "datePublished", "image", "keywords",
                         "itemListElement", "commentCount", "isAccessibleForFree", "publisher", "url", "articleBody"]),
        children, max_size=6,
    ),
    max_leaves=25,
)


@FUZZ
@given(json_values, st.booleans())
def test_random_jsonld(data: object, break_it: bool) -> None:
    text = json.dumps(data)
    if break_it:
        text = text[: len(text) // 2]
    body = f'<html><head><script type="application/ld+json">{text}</script></head><body><h1>T</h1><p>{"word " * 60}</p></body></html>'
    fits_the_schema(body.encode())


@FUZZ
@given(st.text(max_size=300))
def test_absurd_dates_and_text_in_every_slot(value: str) -> None:
    escaped = value.replace("<", "&lt;").replace('"', "&quot;")
    body = (
        f'<html lang="{escaped}"><head><meta property="article:published_time" content="{escaped}">'
        f'<meta name="author" content="{escaped}"><meta property="og:image" content="{escaped}"></head>'
        f'<body><div class="breadcrumb"><a href="{escaped}">{escaped}</a></div><h1>{escaped}</h1>'
        f'<time datetime="{escaped}">{escaped}</time><p>{escaped}</p><div class="comments">{escaped} comments</div></body></html>'
    )
    fits_the_schema(body.encode("utf-8", "surrogatepass"))


def test_deeply_nested_html() -> None:
    body = b"<html><body>" + b"<div>" * 5000 + b"<p>deep text here</p>" + b"</div>" * 5000 + b"</body></html>"
    fits_the_schema(body)


def test_wrong_charsets_and_nul_bytes() -> None:
    fits_the_schema("<html><head><meta charset='utf-8'></head><body><p>Café über naïve</p></body></html>".encode("cp1252"))
    fits_the_schema(b"<html>\x00<body><p>nul\x00bytes\x00</p></body></html>")
    fits_the_schema(b'<?xml version="1.0" encoding="iso-8859-1"?><html><body><p>\xe9t\xe9</p></body></html>')
