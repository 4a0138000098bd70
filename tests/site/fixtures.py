"""Write saved-page fixtures of the demo site: ``python -m tests.site.fixtures [dest]``.

Each case folder holds body.html (bytes as served), info.json (url, status, headers,
fetched_at) and expected.json (from the site's content, see tests/site/truth.py). Review the
diff of expected.json after running it: that diff is the change in what pages say.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.site import pages
from tests.site.content import EXAMPLE, all_articles
from tests.site.server import DemoSite
from tests.site.truth import expected_article

BASE = "https://demo.newscrawl.test"
PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


def cases() -> dict[str, tuple[str, bytes, dict]]:
    """case name -> (url, body, expected)."""
    site = DemoSite(BASE)
    articles = all_articles()
    chosen = {
        "example-article": EXAMPLE,
        "classic-with-byline": next(a for a in articles if a.style == "classic" and a.authors and a.related),
        "jsonld-newsarticle": next(a for a in articles if a.style == "jsonld" and a.related and len(a.authors) > 1),
        "opengraph-microdata": next(a for a in articles if a.style == "meta" and a.related),
    }
    out = {}
    for name, article in chosen.items():
        url = site.article_url(article)
        out[name] = (url, pages.render_article(article, BASE), expected_article(article, BASE))
    section = articles[0].section
    listing = site.page(pages.section_path(section), "")
    assert listing is not None
    out["section-listing"] = (BASE + pages.section_path(section), listing.body, {"url": BASE + pages.section_path(section), "is_article": False})
    return out


def write(dest: Path = PAGES_DIR) -> list[Path]:
    written = []
    for name, (url, body, expected) in cases().items():
        folder = dest / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "body.html").write_bytes(body)
        info = {
            "url": url,
            "status": 200,
            "headers": {"Content-Type": "text/html; charset=utf-8"},
            "fetched_at": "2022-02-01T12:00:00+00:00",
            "expected": "demo-site",
        }
        (folder / "info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        (folder / "expected.json").write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(folder)
    return written


if __name__ == "__main__":
    for folder in write(Path(sys.argv[1]) if len(sys.argv) > 1 else PAGES_DIR):
        print(folder)
