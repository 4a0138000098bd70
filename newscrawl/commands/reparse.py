"""``scrapy reparse (--date YYYY-MM-DD | <warc file> ...)``: rebuild captures and articles
rows from archived WARC records (after a crash, or after an extractor improvement)."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = False

    def syntax(self) -> str:
        return "(--date YYYY-MM-DD | <warc file> ...)"

    def short_desc(self) -> str:
        return "Rebuild the Parquet rows of WARC files from their records, replacing earlier ones"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--date", help="every WARC file of this crawl_date")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from pipelines.reparse import reparse  # here, not at the top: every `scrapy` process imports all commands
        assert self.settings is not None
        root = Path(self.settings.get("OUTPUT_ROOT") or "output").resolve()
        if opts.date:
            warcs = sorted((root / "warc" / f"crawl_date={opts.date}").glob("*.warc.gz"))
        else:
            warcs = [Path(a).resolve() for a in args]
        if not warcs:
            raise UsageError("no WARC files: give --date or WARC paths under OUTPUT_ROOT/warc")
        outside = [w for w in warcs if root not in w.parents]
        if outside:
            raise UsageError(f"{outside[0]} is not under OUTPUT_ROOT ({root})")
        result = reparse(root, warcs)
        print(f"reparsed {len(warcs)} WARC files: {result.captures} captures, {result.articles} articles, {result.days} partition days rebuilt")
