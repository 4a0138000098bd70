"""CDXJ index lines as pywb and cdxj-indexer write them, for the records we write.

    <surt> <14-digit timestamp> {"url": …, "mime": …, "status": …, "digest": …, "length": …, "offset": …, "filename": …}

Lines are sorted (SURT, then timestamp) and written beside each closed WARC file, so a WARC
can be replayed or looked up without re-reading it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_timestamp

from newscrawl.urls import surt_key

_PARAMS = re.compile(r"[;\s]")
INDEXED_TYPES = frozenset({"response", "revisit"})


def cdxj_line(record: ArcWarcRecord, offset: int, length: int, filename: str) -> str:
    url = record.rec_headers.get_header("WARC-Target-URI")
    fields: dict[str, str] = {"url": url}
    if record.rec_type == "revisit":
        fields["mime"] = "warc/revisit"
    elif record.http_headers is not None:
        fields["mime"] = _PARAMS.split(record.http_headers.get_header("Content-Type") or "", maxsplit=1)[0] or "unk"
    if record.http_headers is not None:
        fields["status"] = record.http_headers.get_statuscode()
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    if digest:
        fields["digest"] = digest
    fields.update({"length": str(length), "offset": str(offset), "filename": filename})
    timestamp = _timestamp14(record.rec_headers.get_header("WARC-Date"))
    return f"{surt_key(url)} {timestamp} {json.dumps(fields)}"


def _timestamp14(warc_date: str) -> str:
    """"2026-11-29T02:02:36.123456Z" -> "20261129020236", by position (warcio parses the
    date into a datetime and formats it back); any other layout goes through warcio."""
    if len(warc_date) >= 19 and warc_date[4] == "-" and warc_date[7] == "-" and warc_date[10] == "T" and warc_date[13] == ":" and warc_date[16] == ":":
        digits = warc_date[0:4] + warc_date[5:7] + warc_date[8:10] + warc_date[11:13] + warc_date[14:16] + warc_date[17:19]
        if digits.isdigit():
            return digits
    return iso_date_to_timestamp(warc_date)


def write_cdxj(path: Path, lines: Iterable[str]) -> None:
    """Sorted lines to ``path`` (via a temporary name, renamed when complete), one at a time:
    a 1 GB WARC's index is ~40,000 lines, and joining them first cost three copies of it
    (the lines with newlines, the joined text, its UTF-8) at the moment a crawl closes."""
    ordered = lines if isinstance(lines, list) else list(lines)
    ordered.sort()
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        for line in ordered:
            out.write(line)
            out.write("\n")
    tmp.replace(path)


def cdxj_path(warc_path: Path) -> Path:
    """NEWS-….warc.gz -> NEWS-….cdxj beside it."""
    name = warc_path.name
    stem = name[: -len(".warc.gz")] if name.endswith(".warc.gz") else name
    return warc_path.with_name(stem + ".cdxj")
