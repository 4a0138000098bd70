"""``scrapy warcpack [--date YYYY-MM-DD] [-o archive.wacz]``: WARC files -> one WACZ file."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = False

    def syntax(self) -> str:
        return "[--date YYYY-MM-DD] [-o archive.wacz]"

    def short_desc(self) -> str:
        return "Package the crawl's WARC files (one day or all) as a WACZ with a pages list"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--date", help="only this crawl_date partition")
        parser.add_argument("-O", "--wacz", default="archive.wacz", help="WACZ file to write (default archive.wacz)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newscrawl.archive.wacz import pack  # here, not at the top: every `scrapy` process imports all commands
        if args:
            raise UsageError("warcpack takes no positional arguments")
        assert self.settings is not None
        root = Path(self.settings.get("OUTPUT_ROOT") or "output")
        try:
            path = pack(root, Path(opts.wacz), opts.date)
        except (FileNotFoundError, RuntimeError) as exc:
            self.exitcode = 1
            print(f"warcpack: {exc}")
            return
        print(f"wrote {path}")
