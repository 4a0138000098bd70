"""Package WARC files as a WACZ (Web Archive Collection Zipped) with a pages list built
from the ``articles`` table, for ReplayWeb.page and other WACZ readers.

The packaging itself is done by webrecorder's ``wacz`` package (index, datapackage, hashes);
this module chooses the files and writes the pages list.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyarrow.dataset as ds


def warc_files(output_root: Path, crawl_date: str | None = None) -> list[Path]:
    pattern = f"warc/crawl_date={crawl_date}/*.warc.gz" if crawl_date else "warc/crawl_date=*/*.warc.gz"
    return sorted(output_root.glob(pattern))


def pages_jsonl(output_root: Path, warcs: list[Path]) -> str:
    """pages.jsonl (json-pages-1.0): one line per article archived in ``warcs``."""
    lines = [json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Articles"})]
    table_dir = output_root / "parquet" / "articles"
    if table_dir.exists():
        names = {p.relative_to(output_root).as_posix() for p in warcs}
        table = ds.dataset(table_dir, format="parquet", partitioning="hive").to_table(
            columns=["url", "fetch_time", "headline", "warc_filename"]
        )
        for row in table.to_pylist():
            if row["warc_filename"] in names and row["fetch_time"] is not None:
                ts = row["fetch_time"].strftime("%Y-%m-%dT%H:%M:%SZ")
                lines.append(json.dumps({"url": row["url"], "ts": ts, "title": row["headline"] or row["url"]}))
    return "\n".join(lines) + "\n"


def pack(output_root: Path, destination: Path, crawl_date: str | None = None) -> Path:
    """Write ``destination`` (.wacz) from the closed WARC files of ``crawl_date`` (or all)."""
    try:
        from wacz.main import main as wacz_main
    except ImportError as exc:  # optional dependency
        raise RuntimeError("WACZ packaging needs the wacz package: pip install 'newscrawl[wacz]'") from exc
    warcs = warc_files(output_root, crawl_date)
    if not warcs:
        raise FileNotFoundError(f"no closed WARC files under {output_root / 'warc'}" + (f" for {crawl_date}" if crawl_date else ""))
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages.jsonl"
        pages.write_text(pages_jsonl(output_root, warcs), encoding="utf-8")
        status = wacz_main(["create", "-o", str(destination), "-p", str(pages), *map(str, warcs)])
    if status not in (0, None):
        raise RuntimeError(f"wacz create failed with status {status}")
    return destination
