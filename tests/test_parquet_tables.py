"""The Parquet tables as analysts meet them: every reader, nested columns, sorting and row
groups, schema evolution, joins, compaction, and files left by a killed crawl."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newscrawl.dataset import PARTITIONING, scan
from pipelines.compact import compact_day, exchange_dirs
from pipelines.parquet_writer import ParquetOptions, PartitionedParquetWriter
from pipelines.schema import ARTICLES_SCHEMA, CAPTURES_SCHEMA
from pipelines.staging import StagingClaim, sweep
from tests.conftest import PROJECT_ROOT, CrawlRun, crawl_args, run_crawl, start_crawl, wait_until
from tests.site.server import DemoServer


def glob(run: CrawlRun, table: str) -> str:
    return f"{run.output}/parquet/{table}/**/*.parquet"


def test_duckdb_reads_both_tables_with_dates_and_nested_columns(demo_crawl: CrawlRun) -> None:
    (crawl_date,), = duckdb.sql(
        f"SELECT DISTINCT crawl_date FROM read_parquet('{glob(demo_crawl, 'articles')}', hive_partitioning=true, union_by_name=true)"
    ).fetchall()
    assert isinstance(crawl_date, date)
    names = duckdb.sql(
        f"SELECT DISTINCT a.name FROM (SELECT unnest(authors) AS a FROM read_parquet('{glob(demo_crawl, 'articles')}'))"
    ).fetchall()
    assert ("Maria Delgado",) in names
    (n,), = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob(demo_crawl, 'captures')}', hive_partitioning=true)").fetchall()
    assert n > 0


def test_polars_scans_the_glob(demo_crawl: CrawlRun) -> None:
    frame = pl.scan_parquet(glob(demo_crawl, "articles"), hive_partitioning=True).collect()
    assert frame.schema["crawl_date"] == pl.Date
    assert frame.height >= 30
    authors = frame.select(pl.col("authors").explode().struct.field("name")).drop_nulls()
    assert "Maria Delgado" in authors.to_series().to_list()


def test_pandas_reads_the_table(demo_crawl: CrawlRun) -> None:
    frame = pd.read_parquet(demo_crawl.output / "parquet" / "articles", partitioning=PARTITIONING)
    assert isinstance(frame["crawl_date"].iloc[0], date)
    assert frame["fetch_time"].dt.tz is not None
    assert len(frame) >= 30


def test_pyarrow_dataset_and_scan_helper(demo_crawl: CrawlRun) -> None:
    dataset = ds.dataset(demo_crawl.output / "parquet" / "captures", format="parquet", partitioning="hive")
    assert dataset.count_rows() > 0
    table = scan("articles", demo_crawl.output).to_table()
    assert table.schema.field("crawl_date").type == pa.date32()
    assert table.schema.field("date_published").type == pa.timestamp("ms", tz="UTC")
    rel = scan("articles", demo_crawl.output, engine="duckdb")
    assert rel.aggregate("count(*)").fetchall()[0][0] == table.num_rows


def test_files_are_sorted_with_increasing_row_groups(demo_crawl: CrawlRun) -> None:
    for path in (demo_crawl.output / "parquet").rglob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        column = meta.schema.to_arrow_schema().get_field_index("url_surtkey")
        bounds = [(meta.row_group(i).column(column).statistics.min, meta.row_group(i).column(column).statistics.max) for i in range(meta.num_row_groups)]
        assert all(lo <= hi for lo, hi in bounds)
        assert all(bounds[i][1] <= bounds[i + 1][0] for i in range(len(bounds) - 1))
        assert meta.row_group(0).sorting_columns[0].column_index == column
        if path.name.startswith("articles-"):  # statistics where readers use them, not on whole texts
            leaf = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
            first = meta.row_group(0)
            assert first.column(leaf["date_published"]).is_stats_set and first.column(leaf["authors.list.element.name"]).is_stats_set
            assert not first.column(leaf["body"]).is_stats_set and not first.column(leaf["body_html"]).is_stats_set
        file_meta = {k.decode(): v.decode() for k, v in (meta.metadata or {}).items()}
        assert file_meta["newscrawl.schema_version"] == "1" and file_meta["newscrawl.producer"].startswith("newscrawl ")


def test_every_article_joins_exactly_one_capture(demo_crawl: CrawlRun) -> None:
    rows = duckdb.sql(
        f"""SELECT a.url, count(c.url) FROM read_parquet('{glob(demo_crawl, 'articles')}') a
        LEFT JOIN read_parquet('{glob(demo_crawl, 'captures')}') c
        ON a.warc_filename = c.warc_filename AND a.warc_record_offset = c.warc_record_offset
        GROUP BY a.url"""
    ).fetchall()
    assert rows and all(n == 1 for _, n in rows)


def test_columns_are_documented_in_the_schema() -> None:
    for schema in (ARTICLES_SCHEMA, CAPTURES_SCHEMA):
        assert all(f.metadata and f.metadata.get(b"doc") for f in schema)


def _writer(tmp_path: Path, **options: object) -> PartitionedParquetWriter:
    return PartitionedParquetWriter(
        table="captures", schema=CAPTURES_SCHEMA, dataset_root=tmp_path / "parquet" / "captures",
        staging_dir=tmp_path / "_staging" / "w1", worker_id="w1", options=ParquetOptions(**options),
    )


def _row(i: int, day: int = 1) -> dict:
    return {"url": f"http://a.example/{i:04d}", "url_surtkey": f"example,a)/{i:04d}", "fetch_time": datetime(2022, 3, day, tzinfo=timezone.utc), "error": "x" * 100}


def test_files_rotate_by_rows_bytes_age_and_day(tmp_path: Path) -> None:
    by_rows = _writer(tmp_path / "rows", max_rows_per_file=10)
    assert [len(by_rows.add(_row(i))) for i in range(20)].count(1) == 2
    by_bytes = _writer(tmp_path / "bytes", max_bytes_per_file=2000)
    assert sum(len(by_bytes.add(_row(i))) for i in range(20)) >= 2
    by_age = _writer(tmp_path / "age", max_seconds_per_file=0.0)
    assert by_age.add(_row(1)) and by_age.flush_if_due() == []
    by_day = _writer(tmp_path / "day")
    assert by_day.add(_row(1, day=1)) == []
    (published,) = by_day.add(_row(2, day=2))  # midnight passed: the first day is published
    assert published.parent.name == "crawl_date=2022-03-01"


def test_row_groups_are_bounded_by_rows_and_bytes(tmp_path: Path) -> None:
    writer = _writer(tmp_path, row_group_rows=50, row_group_bytes=4000)
    for i in range(200):
        writer.add(_row(i))
    (path,) = writer.close()
    meta = pq.ParquetFile(path).metadata
    assert meta.num_rows == 200 and meta.num_row_groups > 200 // 50
    assert all(meta.row_group(i).num_rows <= 50 for i in range(meta.num_row_groups))


def test_old_and_new_schema_files_read_together(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    writer.add(_row(1))
    writer.close()
    old_schema = pa.schema([f for f in CAPTURES_SCHEMA if f.name not in ("record_type", "discovery_source")])
    old = pa.Table.from_pylist([{"url": "http://old.example/", "url_surtkey": "example,old)/", "fetch_time": datetime(2022, 3, 1, tzinfo=timezone.utc)}], schema=old_schema)
    pq.write_table(old, tmp_path / "parquet" / "captures" / "crawl_date=2022-03-01" / "captures-20220301000000-old-00001.parquet")
    table = scan("captures", tmp_path).to_table()
    assert table.num_rows == 2 and table.schema.field("record_type").type == pa.string()
    rel = scan("captures", tmp_path, engine="duckdb")
    assert sorted(rel.select("url, record_type").fetchall()) == [("http://a.example/0001", None), ("http://old.example/", None)]


def test_compact_swaps_a_day_for_fewer_sorted_files(tmp_path: Path) -> None:
    writer = _writer(tmp_path, max_rows_per_file=7)
    for i in reversed(range(30)):
        writer.add(_row(i))
    writer.close()
    day = tmp_path / "parquet" / "captures" / "crawl_date=2022-03-01"
    before = sorted(day.glob("*.parquet"))
    assert len(before) == 5
    result = compact_day(tmp_path, "captures", "2022-03-01")
    after = sorted(day.glob("*.parquet"))
    assert (result.files_before, result.files_after, result.rows) == (5, 1, 30)
    assert not set(before) & set(after)
    urls = pq.read_table(after[0], columns=["url"]).column(0).to_pylist()
    assert urls == sorted(urls) and len(urls) == 30
    assert not any((tmp_path / "_staging").glob("compact-*"))


def test_directory_exchange_is_atomic(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x").write_text("a")
    (tmp_path / "b" / "x").write_text("b")
    assert exchange_dirs(tmp_path / "a", tmp_path / "b")  # Linux renameat2(RENAME_EXCHANGE)
    assert (tmp_path / "a" / "x").read_text() == "b" and (tmp_path / "b" / "x").read_text() == "a"


def test_sweep_recovers_complete_files_and_removes_the_rest(tmp_path: Path) -> None:
    staging = tmp_path / "_staging"
    dead = staging / "dead_1"
    dead.mkdir(parents=True)
    complete = dead / "captures-2022-03-01.parquet.staged"
    pq.write_table(pa.Table.from_pylist([_row(1)], schema=CAPTURES_SCHEMA), complete)
    (dead / "articles-2022-03-01.parquet.staged").write_bytes(b"PAR1 half a file")
    (dead / "captures.buffer.arrow").write_bytes(b"ARROW1 rows never published")
    live = StagingClaim(staging / "live_2")
    (live.folder / "captures-2022-03-02.parquet.staged").write_bytes(b"being written")
    result = sweep(staging, tmp_path / "parquet", own=None)
    assert [p.parent.name for p in result.published] == ["crawl_date=2022-03-01"]
    assert pq.read_table(result.published[0]).num_rows == 1
    assert [p.name for p in result.removed] == ["articles-2022-03-01.parquet.staged", "captures.buffer.arrow"]
    assert not dead.exists()
    assert (live.folder / "captures-2022-03-02.parquet.staged").exists()  # a live writer's file
    live.release()
    again = StagingClaim(staging / "live_2")
    with pytest.raises(RuntimeError, match="WORKER_ID"):
        StagingClaim(staging / "live_2")  # a second live writer with the same id is refused
    again.release()


def test_a_killed_crawl_leaves_readable_files_and_the_next_run_repairs_them(demo_server: DemoServer, tmp_path: Path) -> None:
    proc = start_crawl(demo_server.base + "/", tmp_path, PARQUET_MAX_ROWS_PER_FILE="3", NEWSCRAWL_MIN_DELAY="0.05")
    wait_until(lambda: len(list(tmp_path.glob("parquet/*/*/*.parquet"))) >= 4)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    files = list(tmp_path.glob("parquet/**/*"))
    assert [f for f in files if f.is_file()], "the crawl published nothing before it was killed"
    assert all(f.suffix == ".parquet" and not f.name.startswith(".") for f in files if f.is_file())
    for f in files:
        if f.is_file():
            pq.ParquetFile(f).metadata  # every published file is complete
    assert scan("captures", tmp_path).count_rows() > 0
    assert pl.scan_parquet(f"{tmp_path}/parquet/captures/**/*.parquet", hive_partitioning=True).collect().height > 0
    run = run_crawl(demo_server.base + "/about.html", tmp_path, demo_server, DEPTH_LIMIT="0")
    assert run.returncode == 0
    assert not list((tmp_path / "_staging").rglob("*.staged"))
    assert len(list((tmp_path / "_staging").iterdir())) == 1  # the killed writer's folder is gone
    # the WARC the killed crawl left open is repaired (cut to whole records) and published
    assert not list(tmp_path.rglob("*.open"))
    assert "'newscrawl/warc/repaired_files': 1" in run.log
    for warc in tmp_path.glob("warc/*/*.warc.gz"):
        subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(warc)], check=True, capture_output=True)
        subprocess.run(["gzip", "-t", str(warc)], check=True)
        assert warc.with_name(warc.name.replace(".warc.gz", ".cdxj")).exists()


def test_verify_reports_an_article_stored_twice(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "out"
    shutil.copytree(demo_crawl.output, root)
    first = sorted(root.glob("parquet/articles/*/*.parquet"))[0]
    shutil.copy(first, first.with_name("articles-copied-by-hand.parquet"))
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "verify", "-s", f"OUTPUT_ROOT={root}"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 1 and "has more than one articles row" in proc.stdout


def test_scrapy_report_summarises_the_crawl(demo_crawl: CrawlRun) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "report", "-s", f"OUTPUT_ROOT={demo_crawl.output}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )
    out = proc.stdout
    (n,), = duckdb.sql(f"SELECT count(*) FROM read_parquet('{glob(demo_crawl, 'articles')}')").fetchall()
    assert f"articles: {n}" in out
    assert "127.0.0.1 / Russia:" in out and "field coverage:" in out and "headline" in out
    assert "status 404: 1" in out and "WARC: 1 files" in out


def test_reparse_rebuilds_lost_rows_from_the_warc_idempotently(demo_crawl: CrawlRun, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "out"
    shutil.copytree(demo_crawl.output, root)
    original_articles = sorted(duckdb.sql(f"SELECT url, headline, warc_record_offset FROM read_parquet('{root}/parquet/articles/**/*.parquet')").fetchall())
    original_captures = sorted(duckdb.sql(
        f"SELECT url, fetch_status, warc_record_offset, discovery_method FROM read_parquet('{root}/parquet/captures/**/*.parquet') WHERE warc_filename IS NOT NULL"
    ).fetchall())
    def verify() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "scrapy", "verify", "--deep", "-s", f"OUTPUT_ROOT={root}"],
            cwd=PROJECT_ROOT, capture_output=True, text=True,
        )

    assert verify().returncode == 0
    for path in root.glob("parquet/articles/*/*.parquet"):
        path.unlink()  # the articles buffer was lost
    broken = verify()
    assert broken.returncode == 1 and "has no articles row" in broken.stdout
    captures_files = sorted(root.glob("parquet/captures/*/*.parquet"))
    day = captures_files[0].parent.name.removeprefix("crawl_date=")
    for _ in range(2):  # twice: the second run must change nothing
        subprocess.run(
            [sys.executable, "-m", "scrapy", "reparse", "--date", day, "-s", f"OUTPUT_ROOT={root}"],
            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
        )
        articles = sorted(duckdb.sql(f"SELECT url, headline, warc_record_offset FROM read_parquet('{root}/parquet/articles/**/*.parquet')").fetchall())
        captures = sorted(duckdb.sql(
            f"SELECT url, fetch_status, warc_record_offset, discovery_method FROM read_parquet('{root}/parquet/captures/**/*.parquet') WHERE warc_filename IS NOT NULL"
        ).fetchall())
        assert articles == original_articles
        assert captures == original_captures
        assert verify().returncode == 0


def test_an_unwritable_table_stops_the_crawl_with_status_2(demo_server: DemoServer, tmp_path: Path) -> None:
    (tmp_path / "parquet").write_text("not a directory")  # every table write now fails
    run = run_crawl(demo_server.base + "/about.html", tmp_path, demo_server, DEPTH_LIMIT="1", PARQUET_MAX_ROWS_PER_FILE="2")
    assert run.returncode == 2, run.log[-2000:]
    assert "Cannot write the captures table" in run.log and "scrapy reparse" in run.log
    for warc in tmp_path.glob("warc/*/*.warc.gz"):  # what was fetched is archived and valid
        subprocess.run([sys.executable, "-m", "warcio.cli", "check", str(warc)], check=True, capture_output=True)
    assert list(tmp_path.glob("warc/*/*.warc.gz"))


def test_a_file_of_many_batches_is_sorted_by_surt_with_nulls_last(tmp_path: Path) -> None:
    """Rows are buffered as Arrow batches of BATCH_ROWS and each row group is gathered batch
    by batch (no copy of the whole buffer): the file holds every row once and whole, sorted."""
    from pipelines.parquet_writer import BATCH_ROWS

    writer = _writer(tmp_path, row_group_rows=100)
    order = list(range(3 * BATCH_ROWS + 17))
    random.Random(5).shuffle(order)
    for i in order:
        writer.add({**_row(i), "url_surtkey": None, "error": f"row {i}"} if i % 97 == 0 else {**_row(i), "error": f"row {i}"})
    (path,) = writer.close()
    assert pq.ParquetFile(path).metadata.num_row_groups == -(-len(order) // 100)
    rows = pq.read_table(path, columns=["url", "url_surtkey", "error"]).to_pylist()
    assert sorted(r["url"] for r in rows) == sorted(_row(i)["url"] for i in order)
    assert all(r["error"] == f"row {int(r['url'].rsplit('/', 1)[1])}" for r in rows)  # rows kept whole
    keys = [r["url_surtkey"] for r in rows]
    present = [k for k in keys if k is not None]
    assert len(keys) == len(order) and present == sorted(present)
    assert keys[len(present):] == [None] * (len(keys) - len(present))


def test_a_crawl_never_imports_pandas(demo_server: DemoServer, tmp_path: Path) -> None:
    """pyarrow imports pandas (45 MB of RSS) on its first conversion of Python rows unless
    told not to; every import of the crawl process is listed by -X importtime."""
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    args = crawl_args(demo_server.base + "/", tmp_path / "out")
    proc = subprocess.run(args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    imported = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "pyarrow.lib" in imported and "scrapy" in imported  # the listing is there
    assert list(tmp_path.glob("out/parquet/articles/*/*.parquet"))  # rows were converted and written
    # (a bare "pandas" line is pyarrow's refused attempt; a real import loads pandas.*)
    assert not {name for name in imported if name.startswith("pandas.")}


def test_pandas_still_loads_when_asked_for_after_rows_were_written(tmp_path: Path) -> None:
    script = f"""
import sys
from datetime import datetime, timezone
from pathlib import Path
import pyarrow.parquet as pq
from pipelines.parquet_writer import PartitionedParquetWriter, keep_pandas_unloaded
from pipelines.schema import CAPTURES_SCHEMA
keep_pandas_unloaded()
root = Path({str(tmp_path)!r})
writer = PartitionedParquetWriter(table="captures", schema=CAPTURES_SCHEMA, dataset_root=root / "t", staging_dir=root / "s", worker_id="w")
for i in range(600):
    writer.add({{"url": f"http://example.com/{{i}}", "url_surtkey": f"com,example)/{{i:04d}}",
                "fetch_time": datetime(2026, 11, 29, tzinfo=timezone.utc), "fetch_status": 200 + i % 2}})
(path,) = writer.close()
print("pandas" in sys.modules)
frame = pq.read_table(path).to_pandas()
print(len(frame), sorted(frame["fetch_status"].unique().tolist()), "pandas" in sys.modules)
"""
    proc = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["False", "600 [200, 201] True"]


def test_a_row_is_filed_under_the_utc_day_of_its_fetch() -> None:
    from datetime import timedelta

    from pipelines.parquet_writer import partition_date

    east = timezone(timedelta(hours=5))
    assert partition_date({"fetch_time": datetime(2026, 11, 30, 3, 0, tzinfo=east)}) == "2026-11-29"
    assert partition_date({"fetch_time": datetime(2026, 11, 29, 23, 59, tzinfo=timezone.utc)}) == "2026-11-29"
    assert partition_date({"fetch_time": datetime(2026, 1, 2, 0, 0, tzinfo=timezone.utc)}) == "2026-01-02"


@pytest.mark.parametrize("schema", [ARTICLES_SCHEMA, CAPTURES_SCHEMA], ids=["articles", "captures"])
def test_statistics_are_asked_for_every_leaf_column_but_the_texts(schema: pa.Schema) -> None:
    import io

    from pipelines.parquet_writer import file_options

    buffer = io.BytesIO()
    pq.write_table(schema.empty_table(), buffer)
    meta = pq.ParquetFile(io.BytesIO(buffer.getvalue())).metadata
    leaves = {meta.schema.column(i).path for i in range(meta.num_columns)}
    asked = file_options(schema)["write_statistics"]
    assert set(asked) == leaves - {"body", "body_html"} and len(asked) == len(set(asked))


def test_buffered_rows_wait_on_disk_not_in_memory(tmp_path: Path) -> None:
    """A file's worth of rows is spilled to the staging folder batch by batch: Arrow memory
    holds their sort keys only, whatever their number; publishing empties the spill."""
    writer = _writer(tmp_path, max_rows_per_file=100_000, max_bytes_per_file=1 << 40)
    spill = tmp_path / "_staging" / "w1" / "captures.buffer.arrow"
    rows = [{**_row(i), "url_surtkey": f"example,a)/{(i * 7919) % 20_000:05d}", "error": f"{i}-" + "x" * 1000} for i in range(20_000)]
    before = pa.total_allocated_bytes()
    for row in rows:
        assert writer.add(row) == []
    held = pa.total_allocated_bytes() - before
    assert spill.stat().st_size > 20_000 * 1000  # the rows' text is in the file...
    assert held < 2_000_000  # ...not in memory (the keys: ~20 bytes a row)
    (path,) = writer.flush()
    assert not spill.exists()
    table = pq.read_table(path)
    assert table.num_rows == 20_000 and table["url_surtkey"].to_pylist() == sorted(r["url_surtkey"] for r in rows)
    assert sorted(table["error"].to_pylist()) == sorted(r["error"] for r in rows)


@pytest.mark.parametrize("pool", ["jemalloc", "system"])
def test_a_crawl_uses_the_arrow_memory_pool_it_is_given(demo_server: DemoServer, tmp_path: Path, pool: str) -> None:
    import json

    run = run_crawl(demo_server.base + "/", tmp_path, demo_server, NEWSCRAWL_ARROW_MEMORY_POOL=pool, NEWSCRAWL_ROBOTS_SITEMAPS="false", DEPTH_LIMIT="1")
    assert run.returncode == 0, run.log[-3000:]
    stats = json.loads(sorted((tmp_path / "logs").glob("*.json"))[-1].read_text())
    assert stats["newscrawl/parquet/arrow_memory_pool"] == pool
    assert pq.read_table(next((tmp_path / "parquet" / "articles").rglob("*.parquet"))).num_rows > 0
