"""Rebuild ``captures`` and ``articles`` rows from WARC files, without re-crawling.

Used after a crash (rows of the Parquet buffer were lost but the WARC has the records) and
after an extractor improvement. For every day it touches, the partition is rebuilt whole —
the rows of other WARC files kept, the rows pointing into the given WARC files replaced —
and swapped in atomically, so running it twice gives the same tables (idempotent), and a
reader never sees a row twice.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from newscrawl.archive.lookup import decode_payload
from newscrawl.archive.writer import fsync_dir
from newscrawl.captures import parse_content_type
from newscrawl.extract import extract_page
from newscrawl.items import ArticleItem, Capture
from newscrawl.urls import host_name, registered_domain, surt_key
from pipelines.compact import exchange_dirs
from pipelines.parquet import item_row
from pipelines.parquet_writer import file_options, partition_date
from pipelines.parse import article_item
from pipelines.schema import SCHEMAS

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class ReparseResult:
    captures: int = 0
    articles: int = 0
    days: int = 0


def _fields(record: ArcWarcRecord) -> dict[str, str]:
    text = record.content_stream().read().decode("utf-8", "replace")
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def records_of(root: Path, warc: Path) -> Iterator[tuple[Capture, bytes | None, dict[str, str]]]:
    """(capture row, decoded body or None, response headers) for every response/revisit
    record of one WARC file; revisit bodies are taken from the records they refer to."""
    relative = warc.relative_to(root).as_posix()
    info: dict[str, str] = {}
    metadata: dict[str, dict[str, str]] = {}
    pending: list[tuple[Capture, bytes | None, dict[str, str], str]] = []
    payloads: dict[str, bytes] = {}
    with open(warc, "rb") as f:
        iterator = ArchiveIterator(f)
        for record in iterator:
            kind = record.rec_type
            if kind == "warcinfo":
                info = _fields(record)
                continue
            if kind == "metadata":
                metadata[record.rec_headers.get_header("WARC-Concurrent-To")] = _fields(record)
                continue
            if kind not in ("response", "revisit"):
                continue
            raw = record.raw_stream.read() if kind == "response" else b""
            offset, length = iterator.get_record_offset(), iterator.get_record_length()
            http = record.http_headers
            headers = {k.lower(): v for k, v in (http.headers if http else [])}
            url = record.rec_headers.get_header("WARC-Target-URI")
            digest = (record.rec_headers.get_header("WARC-Payload-Digest") or "").removeprefix("sha1:") or None
            mime, charset = parse_content_type(headers.get("content-type"))
            status = int(http.get_statuscode()) if http else None
            location = headers.get("location")
            when = datetime.strptime(record.rec_headers.get_header("WARC-Date")[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
            capture = Capture(
                url=url, url_surtkey=surt_key(url), url_host_name=host_name(url),
                url_host_registered_domain=registered_domain(host_name(url)), fetch_time=when, fetch_status=status,
                fetch_redirect=location if status and 300 <= status < 400 else None, content_digest=digest,
                content_mime_type=mime, content_charset=charset, content_length=len(raw) if kind == "response" else None,
                content_truncated=record.rec_headers.get_header("WARC-Truncated"), warc_filename=relative,
                warc_record_offset=offset, warc_record_length=length,
                warc_record_id=record.rec_headers.get_header("WARC-Record-ID"), record_type=kind,
                crawl_id=info.get("crawl-id"), worker_id=info.get("worker-id"), spider="news",
            )
            if kind == "response" and digest:
                payloads[digest] = decode_payload(raw, headers.get("content-encoding"))
            body = payloads.get(digest) if digest else None
            pending.append((capture, body, headers, capture.warc_record_id or ""))
    for capture, body, headers, record_id in pending:
        meta = metadata.get(record_id, {})
        capture.discovery_method = meta.get("discoveryMethod") or None
        capture.discovery_source = meta.get("via") or None
        if body is None and capture.content_digest:
            body = payloads.get(capture.content_digest)
        yield capture, body, headers


def article_rows(
    captures: Iterator[tuple[Capture, bytes | None, dict[str, str]]], seen: set[str] | None = None
) -> Iterator[tuple[Capture, ArticleItem | None]]:
    """Captures with their article (None for non-articles and for an article_id in ``seen``,
    which the article pipeline's dedup would have dropped too)."""
    seen = set() if seen is None else seen
    for capture, body, headers in captures:
        if capture.fetch_status != 200 or body is None or capture.content_mime_type not in HTML_TYPES:
            yield capture, None
            continue
        result = extract_page(body, capture.url, headers, fetched_at=capture.fetch_time)
        article = result.article
        if not result.verdict.is_article or not article.article_id or article.article_id in seen:
            yield capture, None
            continue
        seen.add(article.article_id)
        yield capture, article_item(capture, article, capture.url)


def _rows_by_day(
    captures: Iterator[tuple[Capture, bytes | None, dict[str, str]]], seen: set[str], result: ReparseResult
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """captures and articles rows of these records by table and crawl day, counted in ``result``."""
    new_rows: dict[str, dict[str, list[dict[str, Any]]]] = {"captures": defaultdict(list), "articles": defaultdict(list)}
    for capture, article in article_rows(captures, seen):
        row = item_row(capture)
        new_rows["captures"][partition_date(row)].append(row)
        result.captures += 1
        if article is not None:
            arow = item_row(article)
            new_rows["articles"][partition_date(arow)].append(arow)
            result.articles += 1
    return new_rows


def reparse(root: Path, warcs: list[Path]) -> ReparseResult:
    result = ReparseResult()
    names = {warc.relative_to(root).as_posix() for warc in warcs}
    seen = _article_ids_elsewhere(root, names)  # kept rows of other files win: no article twice
    new_rows = _rows_by_day((c for warc in warcs for c in records_of(root, warc)), seen, result)
    for table, by_day in new_rows.items():
        days = set(by_day) | _days_pointing_at(root, table, names)
        for day in sorted(days):
            _rebuild_day(root, table, day, names, by_day.get(day, []))
            result.days += 1
    return result


def _article_ids_elsewhere(root: Path, names: set[str]) -> set[str]:
    files = [str(p) for p in (root / "parquet" / "articles").glob("crawl_date=*/*.parquet")]
    if not files:
        return set()
    table = ds.dataset(files, schema=SCHEMAS["articles"], format="parquet").to_table(columns=["article_id", "warc_filename"])
    return {
        article_id for article_id, filename in zip(table.column(0).to_pylist(), table.column(1).to_pylist())
        if filename not in names and article_id
    }


def _days_pointing_at(root: Path, table: str, names: set[str]) -> set[str]:
    days = set()
    for part in (root / "parquet" / table).glob("crawl_date=*"):
        files = [str(p) for p in part.glob("*.parquet")]
        if files:
            pointers = ds.dataset(files, format="parquet").to_table(columns=["warc_filename"]).column(0).to_pylist()
            if names.intersection(pointers):
                days.add(part.name.removeprefix("crawl_date="))
    return days


def _rebuild_day(root: Path, table: str, day: str, names: set[str], rows: list[dict[str, Any]]) -> None:
    schema = SCHEMAS[table]
    partition = root / "parquet" / table / f"crawl_date={day}"
    kept = pa.Table.from_pylist([], schema=schema)
    files = [str(p) for p in partition.glob("*.parquet")] if partition.exists() else []
    if files:
        existing = ds.dataset(files, schema=schema, format="parquet").to_table()
        mask = pa.compute.invert(pa.compute.is_in(existing.column("warc_filename"), value_set=pa.array(sorted(names))))
        kept = existing.filter(pa.compute.fill_null(mask, True))
    merged = pa.concat_tables([kept, pa.Table.from_pylist(rows, schema=schema)])
    work = root / "_staging" / f"reparse-{os.getpid()}" / table
    fresh = work / f"crawl_date={day}"
    fresh.mkdir(parents=True, exist_ok=False)
    _write_sorted(merged, fresh / f"{table}-{_stamp()}-reparse-00001.parquet")
    if not partition.exists():
        partition.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fresh, partition)
    elif not exchange_dirs(fresh, partition):
        aside = work / f"old-crawl_date={day}"
        os.replace(partition, aside)
        os.replace(fresh, partition)
    fsync_dir(partition.parent)
    shutil.rmtree(work.parent)


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")


def _write_sorted(table: pa.Table, path: Path) -> None:
    """One fsynced Parquet file sorted by SURT key, written as the crawl's writer writes them."""
    schema = table.schema
    table = table.take(pa.compute.sort_indices(table, sort_keys=[("url_surtkey", "ascending", "at_end")]))
    pq.write_table(table, path, **file_options(schema))
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def append_missing(root: Path, warcs: list[Path]) -> ReparseResult:
    """Rows for the records of ``warcs`` that no ``captures`` row points at yet (a writer
    killed with rows in its buffer), and their articles unless stored already, added as new
    files beside each partition's others. Unlike ``reparse`` nothing is replaced, so live
    writers may go on publishing into the same partitions meanwhile."""
    result = ReparseResult()
    names = {warc.relative_to(root).as_posix() for warc in warcs}
    present = _pointers(root, names)
    seen = _article_ids_elsewhere(root, set())
    missing = (
        r for warc in warcs for r in records_of(root, warc) if (r[0].warc_filename, r[0].warc_record_offset) not in present
    )
    new_rows = _rows_by_day(missing, seen, result)
    work = root / "_staging" / f"append-{os.getpid()}"
    for table, by_day in new_rows.items():
        for day, rows in sorted(by_day.items()):
            fresh = work / f"{table}-{day}.parquet"
            fresh.parent.mkdir(parents=True, exist_ok=True)
            _write_sorted(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), fresh)
            partition = root / "parquet" / table / f"crawl_date={day}"
            partition.mkdir(parents=True, exist_ok=True)
            os.replace(fresh, partition / f"{table}-{_stamp()}-recovered-{os.getpid()}-{result.days:05d}.parquet")
            fsync_dir(partition)
            result.days += 1
    if work.exists():
        shutil.rmtree(work)
    return result


def _pointers(root: Path, names: set[str]) -> set[tuple[str, int]]:
    """(warc_filename, warc_record_offset) of every captures row pointing into ``names``."""
    files = [str(p) for p in (root / "parquet" / "captures").glob("crawl_date=*/*.parquet")]
    if not files or not names:
        return set()
    table = ds.dataset(files, schema=SCHEMAS["captures"], format="parquet").to_table(
        columns=["warc_filename", "warc_record_offset"], filter=ds.field("warc_filename").isin(sorted(names))
    )
    return set(zip(table.column(0).to_pylist(), table.column(1).to_pylist()))
