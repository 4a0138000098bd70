"""Saved-page fixtures: save a page as a test case, regenerate expected items for review.

A fixture is a folder ``<root>/<case>/`` holding ``body.html`` (bytes exactly as received),
``info.json`` (url, status, headers, fetched_at) and ``expected.json`` (the article fields
the page really shows, plus ``is_article``). ``regen`` rewrites expected.json from the
extractor's current output for the cases whose info.json says ``"expected": "extractor"``;
review its diff before committing. Cases whose expected values come from elsewhere (the
demo site's content, or written by hand) say so and are never overwritten.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newscrawl.extract import PageExtraction, extract_page
from newscrawl.extract.profiles import load_profile
from newscrawl.extract.serialize import article_to_dict

# Filled by extraction itself or checked by their own tests; not part of expected.json.
DERIVED_FIELDS = frozenset(
    {"article_id", "page_title", "body_html", "word_count", "images", "fingerprint",
     "field_sources", "extraction_errors", "extractor_version", "schema_version"}
)


def save_fixture(
    folder: Path,
    body: bytes,
    url: str,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
    fetched_at: datetime | None = None,
) -> Path:
    """Write body.html and info.json of a new case (expected.json comes from :func:`regen`)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "body.html").write_bytes(body)
    info = {
        "url": url,
        "status": status,
        "headers": dict(headers or {}),
        "fetched_at": (fetched_at or datetime.now(timezone.utc)).isoformat(),
        "expected": "extractor",
    }
    (folder / "info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return folder


def load_info(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "info.json").read_text(encoding="utf-8"))


def extract_fixture(folder: Path) -> PageExtraction:
    """Extract a fixture page as its info.json describes the fetch (URL, headers, time, profile)."""
    info = load_info(folder)
    return extract_page(
        (folder / "body.html").read_bytes(),
        info["url"],
        info.get("headers"),
        fetched_at=datetime.fromisoformat(info["fetched_at"]),
        profile=load_profile(info["profile"]) if info.get("profile") else None,
    )


def expected_from_extractor(folder: Path) -> dict[str, Any]:
    result = extract_fixture(folder)
    article = article_to_dict(result.article)
    expected = {k: v for k, v in article.items() if k not in DERIVED_FIELDS}
    if expected.get("authors"):
        expected["authors"] = [a["name"] for a in expected["authors"]]
    if expected.get("main_image"):
        expected["main_image"] = {k: expected["main_image"][k] for k in ("url", "caption", "credit")}
    expected["is_article"] = result.verdict.is_article
    return expected


def regen(root: Path, cases: list[str] | None = None) -> list[Path]:
    """Rewrite expected.json of extractor-owned cases; returns the files written."""
    written = []
    for folder in sorted(p for p in root.iterdir() if (p / "info.json").exists()):
        if cases and folder.name not in cases:
            continue
        if load_info(folder).get("expected") != "extractor":
            continue
        path = folder / "expected.json"
        path.write_text(json.dumps(expected_from_extractor(folder), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
