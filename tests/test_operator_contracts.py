"""What operators rely on: the private-network switch, worker ids, `scrapy extract`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.run import RunIdentityAddon
from tests.conftest import PROJECT_ROOT, run_crawl
from tests.site.server import DemoServer


def test_private_addresses_are_refused_unless_allowed(demo_server: DemoServer, tmp_path: Path) -> None:
    run = run_crawl(demo_server.base + "/", tmp_path, demo_server, ALLOW_PRIVATE_NETWORKS="false")
    assert run.returncode == 0, run.log[-2000:]
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
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files and all("node7" in p.name for p in files)


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
