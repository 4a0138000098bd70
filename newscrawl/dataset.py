"""Read the Parquet tables with the current schema, whatever schema version wrote each file.

    from newscrawl.dataset import scan
    articles = scan("articles", root="output")              # pyarrow.dataset.Dataset
    rel = scan("articles", root="output", engine="duckdb")  # duckdb.DuckDBPyRelation

Schema changes are additive, so files written before a column existed read it as null.
``crawl_date`` (the hive partition) comes back as a date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from pipelines.schema import SCHEMAS

PARTITIONING = ds.partitioning(pa.schema([("crawl_date", pa.date32())]), flavor="hive")


def table_path(table: str, root: str | Path = "output") -> Path:
    if table not in SCHEMAS:
        raise ValueError(f"unknown table {table!r}: one of {', '.join(SCHEMAS)}")
    return Path(root) / "parquet" / table


def scan(table: str, root: str | Path = "output", engine: str = "pyarrow", connection: Any = None) -> Any:
    """The ``table`` of a crawl output as a pyarrow dataset (or a DuckDB relation)."""
    path = table_path(table, root)
    if engine == "duckdb":
        import duckdb

        con = connection or duckdb.connect()
        return con.sql(
            f"SELECT * FROM read_parquet('{path.as_posix()}/**/*.parquet', hive_partitioning=true, "
            "union_by_name=true, hive_types={'crawl_date': DATE})"
        )
    if engine != "pyarrow":
        raise ValueError("engine is 'pyarrow' or 'duckdb'")
    schema = SCHEMAS[table].append(pa.field("crawl_date", pa.date32()))
    files = sorted(str(p) for p in path.glob("crawl_date=*/*.parquet"))
    return ds.dataset(files, schema=schema, format="parquet", partitioning=PARTITIONING, partition_base_dir=str(path))
