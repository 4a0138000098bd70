"""``scrapy fixture save <URL | file> <case>`` and ``scrapy fixture regen [case ...]``.

save: store a page (fetched with the project's settings, or a saved file with --url) as a
saved-page fixture and write its expected.json from the current extractor, to be checked by
hand. regen: rewrite expected.json of extractor-owned fixtures after an extractor change;
review the diff (git diff tests/pages) before committing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.commands.fetching import fetch_page
from newscrawl.fixtures import regen, save_fixture

DEFAULT_DIR = Path("tests") / "pages"


class Command(ScrapyCommand):
    requires_project = False

    def syntax(self) -> str:
        return "save <URL | file> <case> [--url URL] | regen [case ...]"

    def short_desc(self) -> str:
        return "Save a page as a saved-page fixture, or regenerate fixtures' expected items"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--dir", default=str(DEFAULT_DIR), help="fixtures folder (default: tests/pages)")
        parser.add_argument("--url", help="the page's URL, when saving a file")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        root = Path(opts.dir)
        if not args:
            raise UsageError("say save or regen")
        action, rest = args[0], args[1:]
        if action == "regen":
            for path in regen(root, rest or None):
                print(f"wrote {path}")
            return
        if action != "save" or len(rest) != 2:
            raise UsageError("usage: scrapy fixture save <URL | file> <case>")
        source, case = rest
        if source.startswith(("http://", "https://")):
            assert self.crawler_process is not None
            page = fetch_page(self.crawler_process, source)
            if page is None:
                self.exitcode = 1
                raise UsageError(f"could not fetch {source}", print_help=False)
            folder = save_fixture(root / case, page.body, page.url, status=page.status, headers=page.headers)
        else:
            if not opts.url:
                raise UsageError("give the saved page's URL with --url")
            folder = save_fixture(root / case, Path(source).read_bytes(), opts.url, headers={})
        for path in regen(root, [case]):
            print(f"wrote {path}: check every field against the page before committing")
        print(folder)
