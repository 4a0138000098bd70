"""The archive's invariant, checked: nothing fetched is lost, every pointer is right.

1. every response/revisit record in the WARC files has a ``captures`` row pointing at it;
2. every ``captures`` and ``articles`` pointer resolves to a record of that URL and id;
3. (deep) every archived page that extraction calls an article has an ``articles`` row
   (its own, or the row of the same article under another URL);
4. no article has two ``articles`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from warcio.archiveiterator import ArchiveIterator

from pipelines.reparse import article_rows, records_of


@dataclass
class VerifyReport:
    records: int = 0
    captures: int = 0
    articles: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(root: Path, table: str, columns: str) -> list[tuple]:
    if not any((root / "parquet" / table).glob("crawl_date=*/*.parquet")):
        return []
    return duckdb.sql(
        f"SELECT {columns} FROM read_parquet('{root}/parquet/{table}/**/*.parquet', union_by_name=true)"
    ).fetchall()


def verify(root: Path, *, deep: bool = False, limit: int = 20) -> VerifyReport:
    report = VerifyReport()
    records: dict[tuple[str, int], tuple[str, str]] = {}
    warcs = sorted(root.glob("warc/crawl_date=*/*.warc.gz"))
    for warc in warcs:
        name = warc.relative_to(root).as_posix()
        with open(warc, "rb") as f:
            iterator = ArchiveIterator(f)
            for record in iterator:
                if record.rec_type in ("response", "revisit"):
                    record.raw_stream.read()
                    records[(name, iterator.get_record_offset())] = (
                        record.rec_headers.get_header("WARC-Target-URI"),
                        record.rec_headers.get_header("WARC-Record-ID"),
                    )
    report.records = len(records)
    captures = _rows(root, "captures", "url, warc_filename, warc_record_offset, warc_record_id")
    articles = _rows(root, "articles", "url, warc_filename, warc_record_offset, warc_record_id, article_id")
    report.captures, report.articles = len(captures), len(articles)
    pointed = set()
    for table, rows in (("captures", captures), ("articles", [r[:4] for r in articles])):
        for url, filename, offset, record_id in rows:
            if filename is None:
                continue
            if table == "captures":
                pointed.add((filename, offset))
            if records.get((filename, offset)) != (url, record_id):
                report.problems.append(f"{table} row of {url} points at {filename}@{offset}, which is not its record")
    seen_ids: set[str] = set()
    for url, _, _, _, article_id in articles:
        if article_id in seen_ids:
            report.problems.append(f"article {article_id} ({url}) has more than one articles row")
        seen_ids.add(article_id)
    for (filename, offset), (url, _) in records.items():
        if (filename, offset) not in pointed:
            report.problems.append(f"WARC record of {url} ({filename}@{offset}) has no captures row")
    if deep:
        stored_urls = {r[0] for r in articles}
        stored_ids = {r[4] for r in articles}
        for warc in warcs:
            for capture, article in article_rows(records_of(root, warc)):
                if article is not None and capture.url not in stored_urls and article.article_id not in stored_ids:
                    report.problems.append(f"article page {capture.url} has no articles row")
    if len(report.problems) > limit:
        report.problems = report.problems[:limit] + [f"… and more ({len(report.problems) - limit} not shown)"]
    return report
