"""What operators rely on: the private-network switch, worker ids, `scrapy extract`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.run import RunIdentityAddon
from newscrawl.urls import is_private_host
import pyarrow.parquet as pq

from tests.conftest import FAST_CRAWL, PROJECT_ROOT, run_crawl, start_crawl, wait_until
from tests.site.server import DemoServer


def test_private_addresses_are_refused_unless_allowed(demo_server: DemoServer, tmp_path: Path) -> None:
    run = run_crawl(demo_server.base + "/", tmp_path, demo_server, ALLOW_PRIVATE_NETWORKS="false")
    assert run.returncode == 4, run.log[-2000:]  # finished, but fetched nothing
    assert run.served == []
    assert "ALLOW_PRIVATE_NETWORKS=true" in run.log
    assert not list(tmp_path.rglob("*.warc.gz"))


def test_worker_id_is_validated_and_defaulted() -> None:
    settings = Settings({"WORKER_ID": "", "CRAWL_ID": ""})
    RunIdentityAddon().update_settings(settings)
    assert settings["WORKER_ID"] and settings["CRAWL_ID"].endswith(settings["WORKER_ID"])
    with pytest.raises(ValueError, match="WORKER_ID"):
        RunIdentityAddon().update_settings(Settings({"WORKER_ID": "../etc"}))


def test_worker_id_names_every_output_file(demo_server: DemoServer, tmp_path: Path) -> None:
    run = run_crawl(demo_server.base + "/about.html", tmp_path, demo_server, WORKER_ID="node7", DEPTH_LIMIT="1")
    assert run.returncode == 0, run.log[-2000:]
    files = [p for p in [*tmp_path.rglob("warc/**/*"), *tmp_path.rglob("parquet/**/*")] if p.is_file()]
    assert files and all("node7" in p.name for p in files)
    state = [p.name for p in (tmp_path / "state").iterdir()]  # shared by the workers of a root
    assert "captures.sqlite" in state and all(n.startswith("captures.sqlite") for n in state)


def test_scrapy_extract_prints_the_article_as_json() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "extract", "tests/pages/example-article"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )
    item = json.loads(proc.stdout)
    assert item["headline"] == "Russia-Iran Meeting to Pledge for Strategic Cooperation"
    assert item["date_published"] == "2022-01-19T00:00:00+00:00"
    assert item["is_article"] is True


def test_scrapy_extract_fetches_a_url(demo_server: DemoServer) -> None:
    article = demo_server.site.articles[0]
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "extract", "-s", "ALLOW_PRIVATE_NETWORKS=true", demo_server.site.article_url(article)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )
    assert json.loads(proc.stdout)["headline"] == article.headline


def test_sites_file_crawl_follows_its_feed(demo_server: DemoServer, tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f'[[sites]]\nname = "demo"\nfeeds = ["{demo_server.base}/feed.xml"]\nallowed_domains = ["127.0.0.1"]\n',
        encoding="utf-8",
    )
    output = tmp_path / "out"
    args = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}", "-s", f"OUTPUT_ROOT={output}"]
    for key, value in {**FAST_CRAWL, "DEPTH_LIMIT": "1"}.items():
        args += ["-s", f"{key}={value}"]
    proc = subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = pq.read_table(output / "parquet" / "articles", columns=["url", "discovery_method", "discovery_source"])
    latest = sorted(demo_server.site.articles, key=lambda a: a.published, reverse=True)[:15]
    assert sorted(table.column("url").to_pylist()) == sorted(demo_server.site.article_url(a) for a in latest)
    assert set(table.column("discovery_method").to_pylist()) == {"feed"}
    assert set(table.column("discovery_source").to_pylist()) == {f"{demo_server.base}/feed.xml"}


def test_bad_sites_file_stops_with_a_clear_message(tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text('[[sites]]\nstart_urls = ["https://a.example/"]\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sites={sites}", "-s", f"OUTPUT_ROOT={tmp_path}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0
    assert "'name' is required" in proc.stderr


@pytest.mark.parametrize(("setting", "message"), [
    ("NEWSCRAWL_STATE_BACKEND=postgres", "must be sqlite or redis, not 'postgres'"),
    ("NEWSCRAWL_STATE_BACKEND=redis", "needs REDIS_URL"),
    ("WARC_GZIP_ENGINE=brotli", "WARC_GZIP_ENGINE='brotli': choose one of isal, zlib-ng, zlib"),
    ("WARC_GZIP_LEVEL=fast", "WARC_GZIP_LEVEL='fast' is not a number"),
    ("NEWSCRAWL_ARROW_MEMORY_POOL=tcmalloc", "NEWSCRAWL_ARROW_MEMORY_POOL='tcmalloc': choose one of jemalloc, mimalloc, system"),
])
def test_bad_setting_is_a_one_line_usage_error(tmp_path: Path, setting: str, message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "url=http://127.0.0.1:9/", "-s", f"OUTPUT_ROOT={tmp_path}", "-s", setting],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 2  # Scrapy's exit status for a usage error
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_scrapy_fixture_saves_a_page_and_regenerates_expected(demo_server: DemoServer, tmp_path: Path) -> None:
    article = demo_server.site.articles[3]
    url = demo_server.site.article_url(article)
    subprocess.run(
        [sys.executable, "-m", "scrapy", "fixture", "save", url, "case1", "--dir", str(tmp_path), "-s", "ALLOW_PRIVATE_NETWORKS=true"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )
    folder = tmp_path / "case1"
    info = json.loads((folder / "info.json").read_text())
    assert info["url"] == url and info["expected"] == "extractor"
    assert b"<h1" in (folder / "body.html").read_bytes()
    expected = json.loads((folder / "expected.json").read_text())
    assert expected["headline"] == article.headline and expected["is_article"] is True
    (folder / "expected.json").write_text("{}")
    subprocess.run(
        [sys.executable, "-m", "scrapy", "fixture", "regen", "--dir", str(tmp_path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
    )
    assert json.loads((folder / "expected.json").read_text()) == expected


def test_hostnames_resolving_to_private_addresses_are_refused(demo_server: DemoServer, tmp_path: Path) -> None:
    import socket

    host = socket.gethostname()
    assert is_private_host(socket.gethostbyname(host)), "this test needs a hostname that resolves to a private address"
    port = demo_server.base.rsplit(":", 1)[1]
    run = run_crawl(f"http://{host}:{port}/about.html", tmp_path, demo_server, ALLOW_PRIVATE_NETWORKS="false", RETRY_ENABLED="false")
    assert run.served == []
    assert "resolves to the private address" in run.log
    assert "CRITICAL" not in run.log
    table = pq.read_table(tmp_path / "parquet" / "captures", columns=["url", "error"])
    assert all(e for e in table.column("error").to_pylist()) and table.num_rows >= 1


def test_code_executing_consoles_are_off(demo_crawl) -> None:
    assert "TelnetConsole" not in demo_crawl.log and "RemoteControl" not in demo_crawl.log


def test_sigterm_drains_gracefully_and_says_so(demo_server: DemoServer, tmp_path: Path) -> None:
    import signal

    before = len(demo_server.site.served)
    proc = start_crawl(demo_server.base + "/", tmp_path, NEWSCRAWL_MIN_DELAY="0.05", CONCURRENT_REQUESTS_PER_DOMAIN="1")
    wait_until(lambda: len(demo_server.site.served) - before >= 10)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3  # interrupted
    assert "'finish_reason': 'shutdown'" in err
    assert not list(tmp_path.rglob("*.open")) and not list(tmp_path.rglob("*.staged"))
    assert list(tmp_path.glob("warc/*/*.warc.gz")) and list(tmp_path.glob("parquet/captures/*/*.parquet"))


def test_a_second_signal_forces_a_stop_that_leaves_valid_files(demo_server: DemoServer, tmp_path: Path) -> None:
    import signal
    import time

    import pyarrow.parquet as parquet

    before = len(demo_server.site.served)
    proc = start_crawl(
        demo_server.base + "/", tmp_path, NEWSCRAWL_MIN_DELAY="0.05", CONCURRENT_REQUESTS_PER_DOMAIN="1", PARQUET_MAX_ROWS_PER_FILE="3"
    )
    wait_until(lambda: len(demo_server.site.served) - before >= 15)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)  # "stop now"
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    for path in tmp_path.glob("parquet/*/*/*.parquet"):
        parquet.ParquetFile(path).metadata  # whatever was published is whole
    for warc in [*tmp_path.glob("warc/*/*.warc.gz"), *tmp_path.glob("warc/*/*.warc.gz.open")]:
        subprocess.run(["gzip", "-t", str(warc)], check=True)  # every record written is complete
    again = run_crawl(demo_server.base + "/about.html", tmp_path, demo_server, DEPTH_LIMIT="0")
    assert again.returncode == 0 and not list(tmp_path.rglob("*.open"))


def test_static_shards_split_the_work_between_processes(demo_server: DemoServer, tmp_path: Path) -> None:
    outcomes = []
    for shard in ("0", "1"):
        args = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={demo_server.base}/about.html",
                "-a", f"shard={shard}", "-a", "shards=2"]
        for key, value in {**FAST_CRAWL, "OUTPUT_ROOT": str(tmp_path), "WORKER_ID": f"shard{shard}", "DEPTH_LIMIT": "1"}.items():
            args += ["-s", f"{key}={value}"]
        outcomes.append(subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300).returncode)
    assert sorted(outcomes) == [0, 4]  # one site: exactly one shard crawls it, the other has nothing to do
    files = list(tmp_path.glob("warc/*/*.warc.gz"))
    assert len(files) == 1 and f"shard{outcomes.index(0)}" in files[0].name
