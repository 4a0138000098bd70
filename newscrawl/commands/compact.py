"""``scrapy compact --date YYYY-MM-DD [--table articles|captures]``: rewrite a sealed day of a
table into fewer, larger sorted files, swapped in atomically."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from pipelines.schema import SCHEMAS


class Command(ScrapyCommand):
    requires_project = False

    def syntax(self) -> str:
        return "--date YYYY-MM-DD [--table articles|captures] [--force]"

    def short_desc(self) -> str:
        return "Rewrite one sealed crawl day into fewer, larger, sorted Parquet files"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--date", required=True, help="the crawl_date partition to compact")
        parser.add_argument("--table", choices=sorted(SCHEMAS), help="one table (default: both)")
        parser.add_argument("--force", action="store_true", help="also compact today, which may still be written to")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from pipelines.compact import compact_day  # here, not at the top: every `scrapy` process imports all commands
        assert self.settings is not None
        today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        if opts.date >= today and not opts.force:
            raise UsageError(f"{opts.date} is not sealed yet (crawls may still write to it); use --force if none runs")
        root = Path(self.settings.get("OUTPUT_ROOT") or "output")
        for table in [opts.table] if opts.table else sorted(SCHEMAS):
            result = compact_day(root, table, opts.date, row_group_rows=self.settings.getint("PARQUET_ROW_GROUP_ROWS", 5000))
            print(f"{table} {opts.date}: {result.files_before} files -> {result.files_after} ({result.rows} rows)")
