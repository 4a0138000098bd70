"""bench/variants.py: the robustness run's pages keep their structure and text, lose what the
variant takes away."""

from __future__ import annotations

import pytest
from lxml import html

from bench.variants import vary

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><meta property="og:title" content="Title">
<script type="application/ld+json">{"@type": "NewsArticle"}</script><script>var x = 1;</script></head>
<body><div class="article-body main" id="story" itemscope itemtype="https://schema.org/NewsArticle">
<p class="lead" itemprop="description">First paragraph.</p><p class="lead">Second one.</p>
<aside class="related" role="complementary">Read more</aside></div></body></html>"""


def _elements(page: str) -> list[tuple[str, str | None, str | None, str | None, str]]:
    tree = html.fromstring(page)
    return [(el.tag, el.get("class"), el.get("id"), el.get("itemprop"), (el.text or "").strip()) for el in tree.iter()]


def test_hashed_names_keep_structure_text_and_other_attributes() -> None:
    before, after = _elements(PAGE), _elements(vary(PAGE, "hashed"))
    assert [(t, p, x) for t, _, _, p, x in after] == [(t, p, x) for t, _, _, p, x in before]
    names = {word for _, cls, ident, _, _ in after for word in f"{cls or ''} {ident or ''}".split()}
    assert names and all(word.startswith("c") and len(word) == 7 for word in names)
    assert not names & {"article-body", "main", "story", "lead", "related"}
    leads = [cls for tag, cls, _, _, _ in after if tag == "p"]
    assert leads[0] == leads[1]  # the same word, the same token, as on a real site
    assert 'role="complementary"' in vary(PAGE, "hashed")


def test_removed_names_leave_no_class_or_id() -> None:
    after = _elements(vary(PAGE, "removed"))
    assert all(cls is None and ident is None for _, cls, ident, _, _ in after)
    assert [x for *_, x in after] == [x for *_, x in _elements(PAGE)]


def test_unmarked_pages_lose_structured_data_only() -> None:
    page = vary(PAGE, "unmarked")
    tree = html.fromstring(page)
    assert [m.attrib for m in tree.iter("meta")] == [{"charset": "utf-8"}]
    assert [s.text for s in tree.iter("script")] == ["var x = 1;"]
    assert not any(k.startswith("item") for el in tree.iter() for k in el.attrib)
    shown = lambda p: [(t, c, i, x) for t, c, i, _, x in _elements(p) if t not in ("meta", "script")]  # noqa: E731
    assert shown(page) == shown(PAGE)


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        vary(PAGE, "shuffled")
