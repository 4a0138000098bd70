"""Buffered, partitioned, atomic Parquet files: one writer per table per process.

Rows are buffered, sorted by ``url_surtkey``, written to ``_staging/<worker>/`` (outside every
dataset root), fsynced and renamed into ``<table>/crawl_date=YYYY-MM-DD/``, so a reader never
meets half a file. The buffer is Arrow record batches of BATCH_ROWS rows written to a file
in the staging folder as they fill (``pipelines.spill``): a file's worth of rows costs disk
and page cache, not memory; memory holds their sort keys, the rows of the batch being
filled and, while a file is published, one sorted row group.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawl.archive.writer import fsync_dir
from pipelines.spill import SPILL_SUFFIX, SpilledBatches

BATCH_ROWS = 256
DICTIONARY_COLUMNS = (
    "url_host_name",
    "url_host_registered_domain",
    "content_mime_type",
    "content_charset",
    "content_truncated",
    "record_type",
    "discovery_method",
    "crawl_id",
    "worker_id",
    "spider",
    "site_name",
    "language",
    "section",
    "page_type",
    "date_precision",
    "extractor_version",
)


def keep_pandas_unloaded() -> None:
    """Stop pyarrow from importing pandas in this process when it converts Python rows.

    The first conversion of a Python sequence (``pa.array``, ``RecordBatch.from_pylist``)
    asks whether pandas is installed, once per process, and imports it when it is: 45 MB of
    a crawl's RSS and 0.3 s of the reactor's time, for rows that never hold a pandas object.
    Asked while ``import pandas`` fails, pyarrow records "no pandas" for its conversions;
    explicit pandas use (``Table.to_pandas``) still imports it (tests/test_parquet_tables.py
    checks both). Nothing is changed when pandas is already imported."""
    if "pandas" in sys.modules:
        return
    refuse = _RefusePandas()
    sys.meta_path.insert(0, refuse)
    try:
        pa.array([None])
    finally:
        sys.meta_path.remove(refuse)


class _RefusePandas:
    """Import hook under which ``import pandas`` fails (``sys.modules["pandas"] = None``
    would not do: pyarrow's compiled import reads sys.modules and takes the None)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"{name} is not imported here", name=name)
        return None


ARROW_POOLS = ("jemalloc", "mimalloc", "system")


class ArrowPoolSettingError(ValueError):
    """NEWSCRAWL_ARROW_MEMORY_POOL names no pool there is; says which there are."""


def arrow_pool_name(settings: Any) -> str:
    """NEWSCRAWL_ARROW_MEMORY_POOL, checked (`scrapy crawl` asks first: a usage error)."""
    name = (settings.get("NEWSCRAWL_ARROW_MEMORY_POOL") or "jemalloc").strip().lower()
    if name not in ARROW_POOLS:
        raise ArrowPoolSettingError(f"NEWSCRAWL_ARROW_MEMORY_POOL={name!r}: choose one of {', '.join(ARROW_POOLS)}")
    return name


def use_arrow_pool(name: str) -> str:
    """Make ``name`` Arrow's default memory pool in this process; the pool in use is returned
    (Arrow's own default when this build lacks the one asked for).

    Publishing a file gathers each sorted row group from many batches: with mimalloc (the
    wheel's default) those short-lived multi-megabyte buffers raised a crawl's peak RSS by
    30-50 MB at each publish, with jemalloc by half that (bench: 50,000-page peak 305 MB
    against 321-348)."""
    try:
        pool = {"jemalloc": pa.jemalloc_memory_pool, "mimalloc": pa.mimalloc_memory_pool, "system": pa.system_memory_pool}[name]()
    except NotImplementedError:  # not in this build of Arrow
        return pa.default_memory_pool().backend_name
    pa.set_memory_pool(pool)
    return pool.backend_name


# min/max of whole article texts help no reader and cost 10 % of writing an articles file
NO_STATISTICS_COLUMNS = ("body", "body_html")


def file_options(schema: pa.Schema, compression: str = "zstd") -> dict[str, Any]:
    """``pq.ParquetWriter`` / ``pq.write_table`` options shared by every writer of our tables
    (the crawl's, compaction's, reparse's): sorted by SURT key, dictionary-encoded
    low-cardinality columns, statistics where a reader can use them."""
    names = schema.names
    return {
        "compression": compression,
        "use_dictionary": [c for c in DICTIONARY_COLUMNS if c in names],
        "write_statistics": [
            path for field in schema if field.name not in NO_STATISTICS_COLUMNS for path in _leaf_paths(field.type, field.name)
        ],
        "sorting_columns": [pq.SortingColumn(schema.get_field_index("url_surtkey"), nulls_first=False)],
    }


def _leaf_paths(type_: pa.DataType, path: str) -> list[str]:
    """Parquet column paths of an Arrow field (what ``write_statistics`` names: a nested
    column's statistics are its leaves', e.g. ``authors.list.element.name``)."""
    if pa.types.is_struct(type_):
        return [leaf for child in type_ for leaf in _leaf_paths(child.type, f"{path}.{child.name}")]
    if pa.types.is_map(type_):
        return _leaf_paths(type_.key_type, f"{path}.key_value.key") + _leaf_paths(type_.item_type, f"{path}.key_value.value")
    if pa.types.is_list(type_) or pa.types.is_large_list(type_):
        return _leaf_paths(type_.value_type, f"{path}.list.element")
    return [path]


@dataclass(frozen=True)
class ParquetOptions:
    """When a file is published and how it is cut into row groups."""

    max_rows_per_file: int = 50_000
    max_bytes_per_file: int = 64 * 1024 * 1024
    """Estimated in-memory size of the buffered rows (text columns dominate)."""
    max_seconds_per_file: float = 600.0
    """A buffer older than this is published, so a slow crawl still shows up in queries."""
    row_group_rows: int = 5_000
    row_group_bytes: int = 16 * 1024 * 1024
    """Publishing holds one sorted row group and its encoded pages beside the buffer: this
    bounds that peak (16 MiB of articles is ~1,000 rows: plenty per group for DuckDB/Spark)."""
    compression: str = "zstd"


def row_bytes(row: dict[str, Any], columns: int) -> int:
    """Cheap size estimate of a row of a table of ``columns`` columns: its strings and
    bytes, plus a little per column (a column the row lacks is stored too, as a null).
    Nulls, numbers and timestamps, most of a row, are passed over before any isinstance."""
    size = 8 * columns
    for value in row.values():
        if value is None or value.__class__ in _SIZELESS:
            continue
        if isinstance(value, (str, bytes)):
            size += len(value)
        elif isinstance(value, list):
            size += sum(len(v) if isinstance(v, str) else 64 for v in value)
        elif isinstance(value, dict):
            size += 64 * len(value)
    return size


_SIZELESS = frozenset({int, float, bool, datetime})  # counted in the 8 bytes a column


def partition_date(row: dict[str, Any]) -> str:
    """crawl_date of a row: the UTC day of its fetch."""
    fetch_time = row.get("fetch_time")
    when = fetch_time if isinstance(fetch_time, datetime) else datetime.now(timezone.utc)
    if when.tzinfo is not timezone.utc:
        when = when.astimezone(timezone.utc)
    return f"{when.year:04d}-{when.month:02d}-{when.day:02d}"


class PartitionedParquetWriter:
    def __init__(
        self,
        *,
        table: str,
        schema: pa.Schema,
        dataset_root: Path,
        staging_dir: Path,
        worker_id: str,
        options: ParquetOptions | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.table = table
        self.schema = schema
        self._names = schema.names  # a new list at every call of the property
        self.dataset_root = Path(dataset_root)
        self.staging_dir = Path(staging_dir)
        self.worker_id = worker_id
        self.options = options or ParquetOptions()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._rows: list[dict[str, Any]] = []  # the rows not yet in a batch
        self._batches = SpilledBatches(self.staging_dir / f"{table}{SPILL_SUFFIX}", schema, "url_surtkey")
        self._bytes = 0
        self._oldest: float | None = None  # monotonic time of the oldest buffered row
        self._date: str | None = None  # crawl_date of the latest buffered row
        self._serial = 0
        self.published: list[Path] = []
        self.rows_written = 0

    @property
    def columns(self) -> list[str]:
        """The schema's column names, in order."""
        return self._names

    def add(self, row: dict[str, Any]) -> list[Path]:
        """Buffer one row, a mapping of the table's columns (``item_row(item,
        writer.columns)``; a missing column is null, a key that is no column is not
        written); returns files published."""
        published: list[Path] = []
        date = partition_date(row)
        if self._count and date != self._date:  # a new day: yesterday's rows go out now
            published = self.flush()
        self._date = date
        self._rows.append(row)
        self._bytes += row_bytes(row, len(self._names))
        if len(self._rows) >= BATCH_ROWS:
            self._batches.append(pa.RecordBatch.from_pylist(self._rows, schema=self.schema))
            self._rows = []
        if self._oldest is None:
            self._oldest = time.monotonic()
        if self._count >= self.options.max_rows_per_file or self._bytes >= self.options.max_bytes_per_file:
            return published + self.flush()
        return published + self.flush_if_due()

    @property
    def _count(self) -> int:
        """Rows buffered: in the spilled batches and in the batch being filled."""
        return self._batches.num_rows + len(self._rows)

    def flush_if_due(self) -> list[Path]:
        """Publish the buffer when its oldest row has waited max_seconds_per_file."""
        if self._oldest is not None and time.monotonic() - self._oldest >= self.options.max_seconds_per_file:
            return self.flush()
        return []

    def flush(self) -> list[Path]:
        """Publish every buffered row (all of one crawl_date: a new day flushes the last)."""
        count = self._count
        if not count:
            return []
        if self._rows:
            self._batches.append(pa.RecordBatch.from_pylist(self._rows, schema=self.schema))
            self._rows = []
        assert self._date is not None
        published = [self._publish(self._date)]
        self.rows_written += count
        self._bytes = 0
        self._oldest = None
        return published

    def close(self) -> list[Path]:
        return self.flush()

    def _publish(self, date: str) -> Path:
        order = self._batches.sort_order()
        group = self._row_group_size()
        self.staging_dir.mkdir(parents=True, exist_ok=True)
        staged = self.staging_dir / f"{self.table}-{date}.parquet.staged"
        with pq.ParquetWriter(staged, self.schema, **file_options(self.schema, self.options.compression)) as writer:
            for rows in self._batches.row_groups(order, group):  # one sorted row group in memory at a time
                writer.write_table(rows, row_group_size=group)
                del rows
        del order
        self._batches.discard()
        # Arrow's allocator keeps freed blocks for reuse; the buffer just published was the
        # largest thing in it, and a crawl's RSS is what operators watch.
        pa.default_memory_pool().release_unused()
        with open(staged, "rb") as f:
            os.fsync(f.fileno())
        target_dir = self.dataset_root / f"crawl_date={date}"
        target_dir.mkdir(parents=True, exist_ok=True)
        target = self._link_new_name(staged, target_dir)
        os.unlink(staged)
        fsync_dir(target_dir)
        self.published.append(target)
        return target

    def _row_group_size(self) -> int:
        """Rows per group within both bounds: row_group_rows and (estimated) row_group_bytes."""
        per_row = max(1, self._batches.nbytes // max(1, self._batches.num_rows))
        return max(1, min(self.options.row_group_rows, self.options.row_group_bytes // per_row))

    def _link_new_name(self, staged: Path, target_dir: Path) -> Path:
        """Publish under the next free name: a hard link never replaces an existing file
        (os.replace would, and a run in the same second with the same worker id would
        silently overwrite an earlier file)."""
        stamp = self._clock().strftime("%Y%m%d%H%M%S")
        while True:
            self._serial += 1
            target = target_dir / f"{self.table}-{stamp}-{self.worker_id}-{self._serial:05d}.parquet"
            try:
                os.link(staged, target)
            except FileExistsError:
                continue
            return target
