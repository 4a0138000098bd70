"""Saved-page fixtures (tests/pages/<case>/): one test per (case, field), plus "nothing
unexpected". Expected values come from the demo site's content, not from the extractor."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from newscrawl.extract import PageExtraction, extract_page
from newscrawl.extract.serialize import article_to_dict
from newscrawl.fixtures import DERIVED_FIELDS, extract_fixture

PAGES = Path(__file__).parent / "pages"
CASES = sorted(p.name for p in PAGES.iterdir() if (p / "expected.json").exists())


@lru_cache(maxsize=None)
def run(case: str) -> tuple[PageExtraction, dict[str, Any]]:
    folder = PAGES / case
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return extract_fixture(folder), expected


def actual_value(result: PageExtraction, field: str) -> Any:
    if field == "is_article":
        return result.verdict.is_article
    article = article_to_dict(result.article)
    value = article[field]
    if field == "authors" and value is not None:
        return [a["name"] for a in value]
    if field == "main_image" and value is not None:
        return {k: value[k] for k in ("url", "caption", "credit")}
    if field in ("date_published", "date_modified") and value is not None:
        return datetime.fromisoformat(value)
    return value


def expected_value(expected: dict[str, Any], field: str) -> Any:
    value = expected[field]
    if field in ("date_published", "date_modified") and value is not None:
        return datetime.fromisoformat(value)
    return value


FIELD_CASES = [
    (case, field) for case in CASES for field in json.loads((PAGES / case / "expected.json").read_text(encoding="utf-8"))
]


@pytest.mark.parametrize(("case", "field"), FIELD_CASES, ids=[f"{c}-{f}" for c, f in FIELD_CASES])
def test_field(case: str, field: str) -> None:
    result, expected = run(case)
    assert actual_value(result, field) == expected_value(expected, field)


ARTICLE_CASES = [c for c in CASES if json.loads((PAGES / c / "expected.json").read_text(encoding="utf-8"))["is_article"]]


def test_fixtures_cover_articles_and_non_articles() -> None:
    assert len(ARTICLE_CASES) >= 4 and len(CASES) > len(ARTICLE_CASES)


@pytest.mark.parametrize("case", ARTICLE_CASES)
def test_no_unexpected_fields(case: str) -> None:
    result, expected = run(case)
    article = article_to_dict(result.article)
    unexpected = {
        k: v for k, v in article.items() if k not in expected and k not in DERIVED_FIELDS and v not in (None, [], {})
    }
    assert unexpected == {}


@pytest.mark.parametrize("case", ARTICLE_CASES)
def test_body_html_holds_the_body_text(case: str) -> None:
    """Same words in the same order in body and body_html (list markers aside)."""
    result, _ = run(case)
    # inline tags join what they separate (a drop cap: "<strong>T</strong>HE"), block tags do not
    inline_gone = re.sub(r"</?(?:a|b|strong|em|i|u|s|span|small|sup|sub|mark|abbr|cite|code|q)\b[^>]*>", "", result.article.body_html or "")
    html_words = re.findall(r"\w+", unescape(re.sub(r"<[^>]+>", " ", inline_gone)))
    text_words = re.findall(r"\w+", re.sub(r"(?m)^- ", "", result.article.body or ""))
    assert html_words == text_words and html_words


@pytest.mark.parametrize("case", ARTICLE_CASES)
def test_images_start_with_the_main_image(case: str) -> None:
    result, _ = run(case)
    article = result.article
    if article.main_image is None:
        assert article.images is None
    else:
        assert article.images and article.images[0] == article.main_image


def test_broken_jsonld_is_reported_not_fatal() -> None:
    result, _ = run("jsonld-person-parts")
    assert result.article.extraction_errors["jsonld"].startswith("invalid JSON-LD")
    assert result.article.field_sources["authors"] == "jsonld"


@pytest.mark.parametrize("case", CASES)
def test_no_extraction_step_raised(case: str) -> None:
    """Steps record exceptions instead of failing the page; on our fixtures none may raise."""
    result, _ = run(case)
    assert set(result.article.extraction_errors) <= {"jsonld"}


def test_the_profile_decides_what_the_generic_engine_gets_wrong() -> None:
    folder = PAGES / "profile-quirky-wire"
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    generic = extract_page((folder / "body.html").read_bytes(), info["url"], info["headers"]).article
    assert generic.authors is None and "Partner text" in (generic.body or "")
    with_profile, _ = run("profile-quirky-wire")
    assert with_profile.article.field_sources["authors"] == "profile"
