"""ParquetPipeline: article items -> the ``articles`` table."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from newscrawl.items import ArticleItem
from newscrawl.run import OutputPaths, run_identity
from pipelines.parquet_writer import ParquetOptions, PartitionedParquetWriter
from pipelines.schema import SCHEMAS

logger = logging.getLogger(__name__)


def build_table_writer(crawler: Crawler, table: str) -> PartitionedParquetWriter:
    """The writer of ``table`` for this crawler, configured from PARQUET_* and OUTPUT_ROOT."""
    settings = crawler.settings
    paths = OutputPaths.from_settings(settings)
    worker_id = run_identity(crawler).worker_id
    return PartitionedParquetWriter(
        table=table,
        schema=SCHEMAS[table],
        dataset_root=paths.table(table),
        staging_dir=paths.staging(worker_id),
        worker_id=worker_id,
        options=ParquetOptions(
            max_rows_per_file=settings.getint("PARQUET_MAX_ROWS_PER_FILE", 50_000),
            row_group_rows=settings.getint("PARQUET_ROW_GROUP_ROWS", 5_000),
            compression=settings.get("PARQUET_COMPRESSION", "zstd"),
        ),
    )


def item_row(item: Any) -> dict[str, Any]:
    """Column mapping of a dataclass item (nested parts become dicts) or any item."""
    if hasattr(item, "__dataclass_fields__"):
        return asdict(item)
    return ItemAdapter(item).asdict()


class ParquetPipeline:
    """Buffers ArticleItems and publishes them as Parquet files; other items pass through."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.writer = build_table_writer(crawler, "articles")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParquetPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleItem):
            return item
        published = self.writer.add(item_row(item))
        self._count(published)
        self.crawler.stats.inc_value("newscrawl/parquet/rows/articles")
        return item

    def close_spider(self) -> None:
        self._count(self.writer.close())

    def _count(self, published: list) -> None:
        for path in published:
            self.crawler.stats.inc_value("newscrawl/parquet/files/articles")
            logger.info("Published %s", path)
