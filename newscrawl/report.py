"""Short summary of what a crawl produced: ``python -m newscrawl.report [OUTPUT_ROOT]``."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds

COVERAGE_FIELDS = (
    "headline", "description", "authors", "date_published", "main_image", "body", "tags",
    "breadcrumbs", "section", "related_links", "comment_count", "language",
)


def _table(root: Path, name: str, columns: list[str]):
    path = root / "parquet" / name
    if not path.exists() or not any(path.rglob("*.parquet")):
        return None
    return ds.dataset(path, format="parquet", partitioning="hive").to_table(columns=columns)


def summary(root: Path) -> str:
    lines = [f"newscrawl output under {root}"]
    warcs = sorted((root / "warc").rglob("*.warc.gz"))
    lines.append(f"  WARC files: {len(warcs)} ({sum(p.stat().st_size for p in warcs) / 1e6:.2f} MB)")
    captures = _table(root, "captures", ["fetch_status", "error"])
    if captures is not None:
        statuses = Counter(captures.column("fetch_status").to_pylist())
        errors = sum(1 for e in captures.column("error").to_pylist() if e)
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)) if s is not None)
        lines.append(f"  captures: {captures.num_rows} ({shown}; failed fetches: {errors})")
    articles = _table(root, "articles", ["url_host_name", *COVERAGE_FIELDS])
    if articles is None:
        lines.append("  articles: none")
        return "\n".join(lines)
    lines.append(f"  articles: {articles.num_rows}")
    for (host, section), n in sorted(Counter(zip(articles.column("url_host_name").to_pylist(), articles.column("section").to_pylist())).items(), key=str):
        lines.append(f"    {host} / {section}: {n}")
    lines.append("  field coverage:")
    for field in COVERAGE_FIELDS:
        values = articles.column(field).to_pylist()
        filled = sum(1 for v in values if v not in (None, [], ""))
        lines.append(f"    {field:<15} {filled / max(1, len(values)):6.1%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(summary(Path(args[0] if args else "output")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
