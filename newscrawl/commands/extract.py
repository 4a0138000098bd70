"""``scrapy extract <saved page | fixture folder | URL>``: print the extracted article as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.commands.fetching import fetch_page
from newscrawl.extract import extract_page
from newscrawl.extract.serialize import article_to_dict


def load_saved_page(path: Path, url: str | None) -> tuple[bytes, str, dict[str, str]]:
    """(body, url, headers) of a saved page file or a fixture folder (body.html + info.json)."""
    if path.is_dir():
        info = json.loads((path / "info.json").read_text(encoding="utf-8"))
        return (path / "body.html").read_bytes(), url or info["url"], dict(info.get("headers") or {})
    return path.read_bytes(), url or path.resolve().as_uri(), {}


class Command(ScrapyCommand):
    requires_project = False

    def syntax(self) -> str:
        return "[options] <saved page file | fixture folder | URL>"

    def short_desc(self) -> str:
        return "Extract the article of a saved page or a URL and print it as JSON"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="the page's URL, for a saved file (resolves links)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one saved page file, fixture folder or URL")
        target = args[0]
        if target.startswith(("http://", "https://")):
            body, url, headers = self._fetch(target)
        else:
            path = Path(target)
            if not path.exists():
                raise UsageError(f"{target} is neither a URL nor an existing file or folder")
            body, url, headers = load_saved_page(path, opts.url)
        result = extract_page(body, url, headers)
        output = article_to_dict(result.article)
        output["is_article"] = result.verdict.is_article
        output["verdict_reason"] = result.verdict.reason
        json.dump(output, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")

    def _fetch(self, url: str) -> tuple[bytes, str, dict[str, str]]:
        assert self.crawler_process is not None
        page = fetch_page(self.crawler_process, url)
        if page is None:
            self.exitcode = 1
            raise UsageError(f"could not fetch {url} (see the log above)", print_help=False)
        return page.body, page.url, page.headers
