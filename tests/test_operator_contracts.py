"""What operators rely on: the private-network switch, worker ids, `scrapy extract`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.run import RunIdentityAddon
import pyarrow.parquet as pq

from tests.conftest import FAST_CRAWL, PROJECT_ROOT, run_crawl
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
