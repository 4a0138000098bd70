"""Rotating WARC file writer: serialises records, owns the files, knows nothing of Scrapy.

Files are written as ``….warc.gz.open``, flushed after each exchange, and on rotation or close
fsynced and renamed to their final name, which is what every pointer already names; a sorted
CDXJ index of the file's response and revisit records is written beside it.
"""

from __future__ import annotations

import fcntl
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Callable

from warcio.recordloader import ArcWarcRecord

from newscrawl.archive.cdxj import INDEXED_TYPES, cdxj_line, cdxj_path, write_cdxj
from newscrawl.archive.gzip_engines import DEFAULT_GZIP, GzipCodec
from newscrawl.archive.records import (
    RECORD_END,
    RecordFactory,
    payload_is_compressed,
    record_bytes,
    record_head,
    record_payload,
)

OPEN_SUFFIX = ".open"


@dataclass(frozen=True)
class WarcLocation:
    """Where a response record landed: path relative to the output root, byte range, id."""

    filename: str
    offset: int
    length: int
    record_id: str


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class RotatingWarcWriter:
    """Writes exchanges into ``<root>/warc/crawl_date=YYYY-MM-DD/<prefix>-<ts>-<serial>-<worker>.warc.gz``."""

    def __init__(
        self,
        root: Path,
        *,
        prefix: str,
        worker_id: str,
        max_bytes: int,
        warcinfo: dict[str, str],
        records: RecordFactory | None = None,
        clock: Callable[[], datetime] | None = None,
        gzip: GzipCodec = DEFAULT_GZIP,
    ) -> None:
        self.root = Path(root)
        self.gzip = gzip
        self.prefix = prefix
        self.worker_id = worker_id
        self.max_bytes = max_bytes
        self.warcinfo_fields = warcinfo
        self.records = records or RecordFactory()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._serial = 0
        self._file: BinaryIO | None = None
        self._path: Path | None = None
        self._relative = ""  # _path relative to the root, as capture rows name it
        self._date: str | None = None
        self._warcinfo_id: str | None = None
        self.closed_files: list[Path] = []
        self._index: list[str] = []  # CDXJ lines of the open file

    @property
    def current_path(self) -> Path | None:
        """Final path of the file being written (it carries the .open suffix until closed)."""
        return self._path

    def write_exchange(self, primary: ArcWarcRecord, *others: ArcWarcRecord) -> WarcLocation:
        """Write a response (or revisit) record, then its request and metadata records;
        returns the primary record's location.

        Call :meth:`prepare` first: it rotates, and its warcinfo id belongs in the records."""
        if self._file is None:
            self._ensure_file()
        assert self._file is not None and self._path is not None
        offset = self._file.tell()
        first = self._member(primary)
        # one write (one system call) for the exchange's records
        self._file.write(b"".join([first, *[self._member(record) for record in others]]) if others else first)
        self._file.flush()
        length = len(first)
        if primary.rec_type in INDEXED_TYPES:
            self._index.append(cdxj_line(primary, offset, length, self._path.name))
        return WarcLocation(
            filename=self._relative,
            offset=offset,
            length=length,
            record_id=primary.rec_headers.get_header("WARC-Record-ID"),
        )

    @property
    def warcinfo_id(self) -> str | None:
        return self._warcinfo_id

    def prepare(self) -> str | None:
        """Open (or rotate to) the file the next exchange goes to; returns its warcinfo id."""
        self._ensure_file()
        return self._warcinfo_id

    def close(self) -> None:
        """Flush, fsync and publish the current file under its final name."""
        if self._file is None:
            return
        assert self._path is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        open_path = self._path.with_name(self._path.name + OPEN_SUFFIX)
        os.replace(open_path, self._path)
        write_cdxj(cdxj_path(self._path), self._index)
        fsync_dir(self._path.parent)
        self.closed_files.append(self._path)
        self._file = None
        self._path = self._warcinfo_id = self._date = None
        self._index = []

    def _ensure_file(self) -> None:
        today = self._clock().strftime("%Y-%m-%d")
        if self._file is not None and (self._file.tell() >= self.max_bytes or today != self._date):
            self.close()
        if self._file is None:
            self._open(today)

    def _open(self, date: str) -> None:
        stamp = self._clock().strftime("%Y%m%d%H%M%S")
        directory = self.root / "warc" / f"crawl_date={date}"
        directory.mkdir(parents=True, exist_ok=True)
        while True:  # never reuse a name: an earlier run in the same second may have used it
            self._serial += 1
            name = f"{self.prefix}-{stamp}-{self._serial:05d}-{self.worker_id}.warc.gz"
            if (directory / name).exists():
                continue
            try:
                self._file = open(directory / (name + OPEN_SUFFIX), "xb")
            except FileExistsError:
                continue
            # held while the file is open: repair (newscrawl.archive.repair) leaves it alone
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        self._path = directory / name
        self._relative = self._path.relative_to(self.root).as_posix()
        self._date = date
        info = {"hostname": socket.gethostname(), **self.warcinfo_fields}
        record = self.records.warcinfo(name, info)
        self._warcinfo_id = record.rec_headers.get_header("WARC-Record-ID")
        self._file.write(self._member(record))
        self._file.flush()

    def _member(self, record: ArcWarcRecord) -> bytes:
        """A record as the gzip member it is stored as; a payload the server compressed
        goes in stored blocks (deflating it again would not make it smaller)."""
        if payload_is_compressed(record):
            return self.gzip.member_storing(record_head(record), record_payload(record), RECORD_END)
        return self.gzip.member(record_bytes(record))
