"""``scrapy verify [--deep]``: check that nothing fetched was lost and every pointer is right;
exits 1 when the archive breaks its invariant (then ``scrapy reparse`` rebuilds the rows)."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = False

    def short_desc(self) -> str:
        return "Check the archive: every record has its captures row, every pointer resolves"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--deep", action="store_true", help="also re-extract pages: every article page has a row")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from pipelines.verify import verify  # here, not at the top: every `scrapy` process imports all commands
        assert self.settings is not None
        report = verify(Path(self.settings.get("OUTPUT_ROOT") or "output"), deep=opts.deep)
        print(f"{report.records} WARC records, {report.captures} captures rows, {report.articles} articles rows")
        for problem in report.problems:
            print(f"PROBLEM: {problem}")
        print("OK" if report.ok else "BROKEN: run `scrapy reparse --date <day>` for the days above")
        self.exitcode = 0 if report.ok else 1
