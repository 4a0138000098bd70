"""Find and read archived captures through the CDXJ indexes beside the WARC files."""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_timestamp

from newscrawl.urls import surt_key


@dataclass(frozen=True)
class IndexEntry:
    urlkey: str
    timestamp: str
    fields: dict[str, str]
    path: Path
    """The WARC file (absolute)."""

    @property
    def is_revisit(self) -> bool:
        return self.fields.get("mime") == "warc/revisit"


def index_entries(warc_root: Path, url: str) -> list[IndexEntry]:
    """Every indexed capture of exactly ``url``, oldest first."""
    key = surt_key(url)
    entries = []
    for cdxj in sorted(warc_root.rglob("*.cdxj")):
        with open(cdxj, encoding="utf-8") as f:
            for line in f:
                if not line.startswith(key + " "):
                    continue
                urlkey, timestamp, raw = line.rstrip("\n").split(" ", 2)
                fields = json.loads(raw)
                if fields.get("url") == url:
                    entries.append(IndexEntry(urlkey, timestamp, fields, cdxj.parent / fields["filename"]))
    entries.sort(key=lambda e: e.timestamp)
    return entries


def read_record(entry: IndexEntry) -> tuple[ArcWarcRecord, bytes]:
    """The record an entry points at and its payload (as stored)."""
    with open(entry.path, "rb") as f:
        f.seek(int(entry.fields["offset"]))
        data = f.read(int(entry.fields["length"]))
    record = next(iter(ArchiveIterator(BytesIO(data))))
    return record, record.content_stream().read() if record.rec_type != "revisit" else b""


def resolve(warc_root: Path, entry: IndexEntry) -> IndexEntry:
    """The capture holding the payload: the entry itself, or the original a revisit refers to."""
    if not entry.is_revisit:
        return entry
    record, _ = read_record(entry)
    target = record.rec_headers.get_header("WARC-Refers-To-Target-URI") or entry.fields["url"]
    date = record.rec_headers.get_header("WARC-Refers-To-Date")
    stamp = iso_date_to_timestamp(date) if date else None
    for candidate in reversed(index_entries(warc_root, target)):
        if not candidate.is_revisit and (stamp is None or candidate.timestamp == stamp):
            return candidate
    raise LookupError(f"revisit of {entry.fields['url']} refers to {target} at {date}, which is not in the index")


def decode_payload(payload: bytes, content_encoding: str | None) -> bytes:
    """Undo gzip/deflate Content-Encoding for display; anything else is returned as is."""
    encoding = (content_encoding or "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return gzip.decompress(payload)
    if encoding == "deflate":
        try:
            return zlib.decompress(payload)
        except zlib.error:
            return zlib.decompress(payload, -zlib.MAX_WBITS)
    return payload


def archived_response(output_root: Path, filename: str, offset: int, length: int) -> tuple[list[tuple[str, str]], bytes]:
    """HTTP headers and body (Content-Encoding undone) of the response record at a location."""
    with open(output_root / filename, "rb") as f:
        f.seek(offset)
        data = f.read(length)
    record = next(iter(ArchiveIterator(BytesIO(data))))
    headers = list(record.http_headers.headers) if record.http_headers is not None else []
    encoding = record.http_headers.get_header("Content-Encoding") if record.http_headers is not None else None
    return headers, decode_payload(record.raw_stream.read(), encoding)
