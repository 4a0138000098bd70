"""``scrapy crawl`` with an exit status a scheduler can act on (see newscrawl.outcome)."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newscrawl.archive.gzip_engines import GzipSettingError, warc_gzip
from newscrawl.outcome import EXIT_INTERRUPTED, EXIT_START_FAILED, OUTCOME_KEY
from newscrawl.sites import SitesFileError
from newscrawl.state import StateBackendError, state_backend
from pipelines.parquet_writer import ArrowPoolSettingError, arrow_pool_name


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider; the exit status says how the crawl ended (0 finished, 2 writer failed, 3 interrupted, 4 nothing fetched)"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one spider name, e.g. scrapy crawl news -a url=https://…")
        assert self.crawler_process is not None
        try:
            state_backend(self.settings)  # a bad setting is a one-line usage error, not a traceback
            warc_gzip(self.settings)
            arrow_pool_name(self.settings)
            crawler = self._create_crawler(args[0])
        except (SitesFileError, StateBackendError, GzipSettingError, ArrowPoolSettingError) as exc:
            raise UsageError(str(exc), print_help=False) from exc
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_START_FAILED
            return
        stats = crawler.stats.get_stats() if crawler.stats else {}
        self.exitcode = int(stats.get(OUTCOME_KEY, EXIT_INTERRUPTED))
