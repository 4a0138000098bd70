"""Compact one sealed day of a table: many small files -> few large sorted files, swapped in
atomically so a reader sees the old day or the new day, never both and never a mix.

The new files are written under _staging (outside the dataset root); then the two partition
directories are exchanged with Linux renameat2(RENAME_EXCHANGE), one atomic step. Where that
call does not exist, two renames are used (readers may then briefly see the day empty,
still never doubled).
"""

from __future__ import annotations

import ctypes
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newscrawl.archive.writer import fsync_dir
from pipelines.parquet_writer import file_options
from pipelines.schema import SCHEMAS

AT_FDCWD = -100
RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class CompactResult:
    files_before: int
    files_after: int
    rows: int


def exchange_dirs(a: Path, b: Path) -> bool:
    """Atomically swap two directories; False when the kernel or libc cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    return False


def compact_day(
    root: Path, table: str, date: str, *, max_rows_per_file: int = 1_000_000, row_group_rows: int = 50_000, worker_id: str = "compact"
) -> CompactResult:
    schema = SCHEMAS[table]
    partition = root / "parquet" / table / f"crawl_date={date}"
    files = sorted(partition.glob("*.parquet"))
    if len(files) < 2:
        return CompactResult(len(files), len(files), 0)
    data = ds.dataset([str(f) for f in files], schema=schema, format="parquet").to_table()
    data = data.take(pc.sort_indices(data, sort_keys=[("url_surtkey", "ascending", "at_end")]))
    work = root / "_staging" / f"compact-{os.getpid()}" / table
    new_partition = work / f"crawl_date={date}"
    new_partition.mkdir(parents=True, exist_ok=False)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    written = 0
    for serial, start in enumerate(range(0, data.num_rows, max_rows_per_file), 1):
        chunk = data.slice(start, max_rows_per_file)
        path = new_partition / f"{table}-{stamp}-{worker_id}-{serial:05d}.parquet"
        pq.write_table(
            chunk,
            path,
            row_group_size=row_group_rows,
            **file_options(schema),
        )
        with open(path, "rb") as f:
            os.fsync(f.fileno())
        written += 1
    fsync_dir(new_partition)
    if not exchange_dirs(new_partition, partition):
        aside = work / f"old-crawl_date={date}"
        os.replace(partition, aside)
        os.replace(new_partition, partition)
        new_partition = aside
    fsync_dir(partition.parent)
    shutil.rmtree(work.parent)  # the old files, now outside the dataset root
    return CompactResult(len(files), written, data.num_rows)
