"""``scrapy report``: summary of what the crawl under OUTPUT_ROOT produced."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand


class Command(ScrapyCommand):
    requires_project = False

    def short_desc(self) -> str:
        return "Summarise the crawl output: articles per site/section/day, field coverage, fetch outcomes, WARC bytes"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from newscrawl.report import summary  # here, not at the top: every `scrapy` process imports all commands
        assert self.settings is not None
        print(summary(Path(self.settings.get("OUTPUT_ROOT") or "output")))
