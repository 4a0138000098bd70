"""How a crawl ended, for schedulers: an exit status and the run's stats as JSON.

Exit statuses of ``scrapy crawl``:
    0  finished (or stopped at a configured limit: CLOSESPIDER_*)
    1  could not start (bad arguments, bad sites file)
    2  a writer failed (WARC or Parquet could not be written)
    3  interrupted (Ctrl-C, SIGTERM) or otherwise not finished
    4  finished but fetched nothing, although it had start URLs
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from newscrawl.cpu import record_process_usage
from newscrawl.run import OutputPaths, run_identity

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_START_FAILED, EXIT_WRITER_FAILED, EXIT_INTERRUPTED, EXIT_NOTHING_FETCHED = 0, 1, 2, 3, 4
OUTCOME_KEY = "newscrawl/exit_status"


WRITERS = ("warc", "parquet", "state")


def stop_for_writer(crawler: Crawler, writer: str) -> None:
    """A writer that cannot write (disk full, read-only) stops the crawl rather than let it
    fetch what it cannot keep: counted in ``newscrawl/<writer>/write_failed``, finish reason
    ``<writer>_write_failed``, exit status 2. The caller logs what failed and what to do."""
    assert crawler.stats is not None
    crawler.stats.inc_value(f"newscrawl/{writer}/write_failed")
    engine: Any = crawler.engine
    if engine is not None and engine.spider is not None and engine.running:
        deferred_from_coro(engine.close_spider_async(reason=f"{writer}_write_failed"))


def exit_status(stats: dict[str, Any]) -> int:
    reason = stats.get("finish_reason")
    if reason in {f"{w}_write_failed" for w in WRITERS} or any(stats.get(f"newscrawl/{w}/write_failed") for w in WRITERS):
        return EXIT_WRITER_FAILED
    if reason != "finished" and not str(reason).startswith("closespider_"):
        return EXIT_INTERRUPTED
    if not stats.get("newscrawl/warc/exchanges") and not stats.get("newscrawl/parquet/rows/captures"):
        return EXIT_NOTHING_FETCHED
    return EXIT_OK


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (datetime, date)) else value


class RunOutcome:
    """Extension: at the end of the crawl, stores the exit status in the stats and writes
    every stat to OUTPUT_ROOT/logs/<crawl_id>.json."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.logs = OutputPaths.from_settings(crawler.settings).logs
        self.crawl_id = run_identity(crawler).crawl_id

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunOutcome:
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_stopped(self) -> None:
        assert self.crawler.stats is not None
        record_process_usage(self.crawler.stats)
        stats = self.crawler.stats.get_stats()
        status = exit_status(stats)
        self.crawler.stats.set_value(OUTCOME_KEY, status)
        path = self.logs / f"{self.crawl_id}.json"
        payload = {k: _jsonable(v) for k, v in sorted({**stats, OUTCOME_KEY: status}.items())}
        try:
            self.logs.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(payload, indent=1, default=str) + "\n", encoding="utf-8")
        except OSError as exc:  # a full disk must not hide the outcome: it is in the log too
            path.unlink(missing_ok=True)
            logger.error("Crawl outcome: exit status %s; cannot write the stats file %s (%s)", status, path, exc)
            return
        logger.info("Crawl outcome: exit status %s (stats in %s)", status, path)
