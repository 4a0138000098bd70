"""ParquetPipeline: article items -> the ``articles`` table."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import create_looping_call

from newscrawl.cpu import charged
from newscrawl.items import ArticleItem
from newscrawl.outcome import stop_for_writer
from newscrawl.run import OutputPaths, run_identity
from pipelines.parquet_writer import (
    ParquetOptions,
    PartitionedParquetWriter,
    arrow_pool_name,
    keep_pandas_unloaded,
    use_arrow_pool,
)
from pipelines.schema import SCHEMAS

logger = logging.getLogger(__name__)


def build_table_writer(crawler: Crawler, table: str) -> PartitionedParquetWriter:
    """The writer of ``table`` for this crawler, configured from PARQUET_* and OUTPUT_ROOT."""
    settings = crawler.settings
    paths = OutputPaths.from_settings(settings)
    worker_id = run_identity(crawler).worker_id
    defaults = ParquetOptions()
    return PartitionedParquetWriter(
        table=table,
        schema=SCHEMAS[table],
        dataset_root=paths.table(table),
        staging_dir=paths.staging(worker_id),
        worker_id=worker_id,
        options=ParquetOptions(
            max_rows_per_file=settings.getint("PARQUET_MAX_ROWS_PER_FILE", defaults.max_rows_per_file),
            max_bytes_per_file=settings.getint("PARQUET_MAX_BYTES_PER_FILE", defaults.max_bytes_per_file),
            max_seconds_per_file=settings.getfloat("PARQUET_MAX_SECONDS_PER_FILE", defaults.max_seconds_per_file),
            row_group_rows=settings.getint("PARQUET_ROW_GROUP_ROWS", defaults.row_group_rows),
            row_group_bytes=settings.getint("PARQUET_ROW_GROUP_BYTES", defaults.row_group_bytes),
            compression=settings.get("PARQUET_COMPRESSION", defaults.compression),
        ),
    )


def item_row(item: Any, columns: Sequence[str] | None = None) -> dict[str, Any]:
    """Column mapping of a dataclass item (nested parts become dicts) or any item; with
    ``columns``, exactly those keys (None for what the item lacks), in that order.

    Not ``dataclasses.asdict``: it deep-copies every string and list (1.4 ms per article);
    the row only needs nested dataclasses turned into dicts, and nothing mutates it. The
    values are read from the instance's ``__dict__`` and only those that are no plain scalar
    are looked at again (a call per column cost 24 us an article row, this 15)."""
    if hasattr(item, "__dataclass_fields__"):
        names = item.__dataclass_fields__ if columns is None else columns
        values = item.__dict__
        row = {name: values[name] if name in values else getattr(item, name, None) for name in names}
    else:
        row = ItemAdapter(item).asdict()
        if columns is not None:
            row = {name: row.get(name) for name in columns}
    for name, value in row.items():
        if value.__class__ not in _SCALARS:
            row[name] = _plain(value)
    return row


# values a row holds as they are (exact classes: a subclass goes through _plain)
_SCALARS = frozenset({str, int, float, bool, bytes, datetime, type(None)})


def _plain(value: Any) -> Any:
    if value.__class__ in _SCALARS:
        return value
    if isinstance(value, list):
        return [v if v.__class__ in _SCALARS else _plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        fields = value.__dict__
        return {name: v if (v := fields[name]).__class__ in _SCALARS else _plain(v) for name in value.__dataclass_fields__}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class TableSink:
    """One table's writer inside a crawl: rows in, files published and counted in the stats,
    and a timer that publishes a buffer that has waited too long even when no row comes."""

    TICK_SECONDS = 15.0

    def __init__(self, crawler: Crawler, table: str) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        self.table = table
        # before the first Arrow allocation of the crawl; then a crawl's rows never hold
        # pandas objects
        pool = use_arrow_pool(arrow_pool_name(crawler.settings))
        self.stats.set_value("newscrawl/parquet/arrow_memory_pool", pool)
        keep_pandas_unloaded()
        self.writer = build_table_writer(crawler, table)
        self._rows_stat = f"newscrawl/parquet/rows/{table}"
        self._timer: Any = None
        self.failed = False

    def start(self) -> None:
        self._timer = create_looping_call(self._tick)
        self._timer.start(self.TICK_SECONDS, now=False)

    def add(self, item: Any) -> None:
        """One item (an ArticleItem, a Capture) as a row of the table."""
        if self.failed:
            return
        self.stats.inc_value(self._rows_stat)
        self._write(self.writer.add, item_row(item, self.writer.columns))

    def close(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if not self.failed:
            self._write(self.writer.close)

    def _tick(self) -> None:
        if not self.failed:
            self._write(self.writer.flush_if_due)

    def _write(self, operation: Any, *args: Any) -> None:
        """Run a writer operation; a disk that is full or read-only stops the crawl cleanly
        (staged files stay outside the dataset; the rows can be rebuilt with reparse)."""
        try:
            self._published(operation(*args))
        except OSError as exc:
            self.failed = True
            logger.error(
                "Cannot write the %s table (%s); stopping the crawl. Free disk space or fix permissions of "
                "OUTPUT_ROOT, then run `scrapy reparse --date <day>` to rebuild the rows from the WARC files.",
                self.table,
                exc,
            )
            stop_for_writer(self.crawler, "parquet")

    def _published(self, paths: list[Path]) -> None:
        for path in paths:
            self.stats.inc_value(f"newscrawl/parquet/files/{self.table}")
            logger.info("Published %s", path)


class ParquetPipeline:
    """Buffers ArticleItems and publishes them as Parquet files; other items pass through."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.sink = TableSink(crawler, "articles")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParquetPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.sink.start()

    @charged("parquet")
    def process_item(self, item: Any) -> Any:
        if isinstance(item, ArticleItem):
            self.sink.add(item)
        return item

    @charged("parquet")
    def close_spider(self) -> None:
        self.sink.close()
