"""What a crawl produced, computed with DuckDB over the tables:
``scrapy report`` or ``python -m newscrawl.report [OUTPUT_ROOT]``."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from newscrawl.dataset import scan
from pipelines.schema import ARTICLE_FIELDS

NOT_COVERAGE = {"article_id", "requested_url", "canonical_url", "field_sources", "extraction_errors", "extractor_version", "schema_version", "fingerprint"}


def _has_files(root: Path, table: str) -> bool:
    return any((root / "parquet" / table).glob("crawl_date=*/*.parquet"))


def _filled(column: str, type_name: str) -> str:
    if type_name.startswith(("list", "map")):
        return f"count(*) FILTER (WHERE len({column}) > 0)"
    if type_name in ("string", "large_string"):
        return f"count(*) FILTER (WHERE {column} IS NOT NULL AND {column} <> '')"
    return f"count({column})"


def summary(root: Path) -> str:
    lines = [f"newscrawl output under {root}"]
    warcs = sorted((root / "warc").rglob("*.warc.gz"))
    lines.append(f"WARC: {len(warcs)} files, {sum(p.stat().st_size for p in warcs) / 1e6:.2f} MB")
    con = duckdb.connect()
    if _has_files(root, "captures"):
        con.register("captures", scan("captures", root, engine="duckdb", connection=con))
        (total, failed, revisits, truncated), = con.sql(
            "SELECT count(*), count(error), count(*) FILTER (WHERE record_type = 'revisit'), count(content_truncated) FROM captures"
        ).fetchall()
        lines.append(f"captures: {total} (failed fetches {failed}, revisits {revisits}, truncated {truncated})")
        for status, n in con.sql("SELECT coalesce(fetch_status::VARCHAR, 'no response'), count(*) FROM captures GROUP BY 1 ORDER BY 2 DESC").fetchall():
            lines.append(f"  status {status}: {n}")
        for error, n in con.sql("SELECT split_part(error, ':', 1), count(*) FROM captures WHERE error IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 5").fetchall():
            lines.append(f"  error {error}: {n}")
    if not _has_files(root, "articles"):
        lines.append("articles: none")
        return "\n".join(lines)
    con.register("articles", scan("articles", root, engine="duckdb", connection=con))
    (total,), = con.sql("SELECT count(*) FROM articles").fetchall()
    lines.append(f"articles: {total}")
    lines.append("  by site / section:")
    for site, section, n in con.sql(
        "SELECT url_host_registered_domain, coalesce(section, '-'), count(*) FROM articles GROUP BY ALL ORDER BY 1, 3 DESC"
    ).fetchall():
        lines.append(f"    {site} / {section}: {n}")
    lines.append("  by publication day (latest 10):")
    for day, n in con.sql(
        "SELECT coalesce(date_published::DATE::VARCHAR, 'unknown') AS d, count(*) FROM articles GROUP BY d ORDER BY d DESC LIMIT 10"
    ).fetchall():
        lines.append(f"    {day}: {n}")
    fields = [f for f in ARTICLE_FIELDS if f.name not in NOT_COVERAGE]
    counts = con.sql("SELECT " + ", ".join(_filled(f.name, str(f.type).split("<")[0]) for f in fields) + " FROM articles").fetchall()[0]
    lines.append("  field coverage:")
    for field, n in zip(fields, counts):
        lines.append(f"    {field.name:<20} {n / max(1, total):6.1%}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(summary(Path(args[0] if args else "output")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
