"""Repair WARC files a killed crawl left open (``….warc.gz.open``).

Every record is one gzip member, written whole and flushed, so a file cut by SIGKILL ends,
at worst, in one incomplete member. Repair keeps the complete members, truncates the rest,
writes the CDXJ index and publishes the file under its final name. A live writer holds an
flock on its open file, so only files of stopped writers are touched.
"""

from __future__ import annotations

import fcntl
import logging
import os
import zlib
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from newscrawl.archive.cdxj import INDEXED_TYPES, cdxj_line, cdxj_path, write_cdxj
from newscrawl.archive.writer import OPEN_SUFFIX, fsync_dir

logger = logging.getLogger(__name__)
CHUNK = 1 << 16


@dataclass(frozen=True)
class RepairResult:
    path: Path
    """The published file."""
    kept_bytes: int
    cut_bytes: int


def complete_members_end(path: Path) -> int:
    """Byte offset just after the last complete gzip member of ``path``."""
    end = 0
    with open(path, "rb") as f:
        data = b""
        position = 0  # file offset of data[0]
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        while True:
            chunk = f.read(CHUNK)
            if not chunk:
                break
            data += chunk
            while data:
                try:
                    decompressor.decompress(data)
                except zlib.error:
                    return end
                if not decompressor.eof:
                    position += len(data)
                    data = b""
                    break
                used = len(data) - len(decompressor.unused_data)
                end = position + used
                position += used
                data = decompressor.unused_data
                decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    return end


def repair(open_path: Path) -> RepairResult | None:
    """Truncate, index and publish one ``.open`` file; None when a live writer holds it."""
    with open(open_path, "r+b") as f:
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        size = os.fstat(f.fileno()).st_size
        end = complete_members_end(open_path)
        f.truncate(end)
        f.flush()
        os.fsync(f.fileno())
    final = open_path.with_name(open_path.name[: -len(OPEN_SUFFIX)])
    lines = []
    with open(open_path, "rb") as f:
        iterator = ArchiveIterator(f)
        for record in iterator:
            if record.rec_type in INDEXED_TYPES:
                record.content_stream().read()
                lines.append(cdxj_line(record, iterator.get_record_offset(), iterator.get_record_length(), final.name))
    os.replace(open_path, final)
    write_cdxj(cdxj_path(final), lines)
    fsync_dir(final.parent)
    logger.warning("Repaired %s left open by a stopped crawl: kept %d bytes, cut %d", final, end, size - end)
    return RepairResult(final, end, size - end)


def repair_all(warc_root: Path) -> list[RepairResult]:
    results = []
    for open_path in sorted(warc_root.glob(f"crawl_date=*/*.warc.gz{OPEN_SUFFIX}")):
        result = repair(open_path)
        if result is not None:
            results.append(result)
    return results
