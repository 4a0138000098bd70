"""A Parquet writer's buffered rows on disk (an Arrow IPC file in its staging folder).

A writer buffers up to PARQUET_MAX_ROWS_PER_FILE / PARQUET_MAX_BYTES_PER_FILE of rows to
publish large files sorted by SURT key. Kept in memory, that buffer was the part of a
crawl's RSS that grew with crawl length (50,000 capture rows: 47 MB; a full articles buffer:
64 MB and more). On disk it costs page cache, which the kernel can take back; memory holds
the sort keys and one row group at a time while a file is published.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SPILL_SUFFIX = ".buffer.arrow"


class SpilledBatches:
    """Record batches appended to ``path`` as they come; only their ``key`` column stays in
    memory, to sort by. ``row_groups`` reads them back in key order, a group at a time."""

    def __init__(self, path: Path, schema: pa.Schema, key: str) -> None:
        self.path = path
        self.schema = schema
        self.key = key
        self.nbytes = 0  # in-memory size of the batches written (for row group sizing)
        self.num_rows = 0
        self._writer: pa.ipc.RecordBatchFileWriter | None = None
        self._keys: list[pa.Array] = []
        self._lengths: list[int] = []

    def append(self, batch: pa.RecordBatch) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pa.ipc.new_file(str(self.path), self.schema)
        self._writer.write_batch(batch)
        self._keys.append(batch.column(self.key))  # its own buffers only, not the batch's
        self._lengths.append(batch.num_rows)
        self.nbytes += batch.nbytes
        self.num_rows += batch.num_rows

    def sort_order(self) -> np.ndarray:
        """Row numbers in key order: ascending, stable, nulls last (UTF-8 byte order is code
        point order, as Python sorts str)."""
        keys = pa.table({self.key: pa.chunked_array(self._keys, type=self.schema.field(self.key).type)})
        return pc.sort_indices(keys, sort_keys=[(self.key, "ascending", "at_end")]).to_numpy()

    def row_groups(self, order: np.ndarray, group_rows: int) -> Iterator[pa.Table]:
        """The rows of ``order``, ``group_rows`` at a time, as tables in that order."""
        self._close_writer()
        starts = np.cumsum([0, *self._lengths], dtype=np.int64)
        order = order.astype(np.int64, copy=False)
        with pa.OSFile(str(self.path)) as source:  # read, not mapped: mapped pages count as RSS
            reader = pa.ipc.open_file(source)
            for start in range(0, len(order), group_rows):
                yield self._gather(reader, starts, order[start : start + group_rows])

    def _gather(self, reader: pa.ipc.RecordBatchFileReader, starts: np.ndarray, rows: np.ndarray) -> pa.Table:
        """Each batch that holds some of ``rows`` is read and gives its rows; then they are
        put in the asked order."""
        chunk = np.searchsorted(starts, rows, side="right") - 1
        by_chunk = np.argsort(chunk, kind="stable")
        pieces = []
        for c in np.unique(chunk):
            mine = by_chunk[chunk[by_chunk] == c]
            pieces.append(reader.get_batch(int(c)).take(pa.array(rows[mine] - starts[c])))
        gathered = pa.Table.from_batches(pieces, schema=self.schema).combine_chunks()
        del pieces  # at most two copies of the group alive at once
        return gathered.take(pa.array(np.argsort(by_chunk, kind="stable")))

    def discard(self) -> None:
        """Forget the batches and remove the file (after they were published)."""
        self._close_writer()
        self.path.unlink(missing_ok=True)
        self._keys, self._lengths = [], []
        self.nbytes = self.num_rows = 0

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
