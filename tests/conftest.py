"""Shared fixtures: the demo site on 127.0.0.1 and real `scrapy crawl` runs against it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.site.server import DemoServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FAST_CRAWL = {
    "ALLOW_PRIVATE_NETWORKS": "true",
    "DOWNLOAD_DELAY": "0",
    "NEWSCRAWL_MIN_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "false",
    "LOG_LEVEL": "INFO",
}


@dataclass
class CrawlRun:
    output: Path
    returncode: int
    log: str
    served: list[str]


def crawl_args(start_url: str, output: Path, **settings: str) -> list[str]:
    """The command line of `scrapy crawl news -a url=...` with the fast test settings."""
    args = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={start_url}"]
    for key, value in {**FAST_CRAWL, "OUTPUT_ROOT": str(output), **settings}.items():
        args += ["-s", f"{key}={value}"]
    return args


def start_crawl(start_url: str, output: Path, **settings: str) -> subprocess.Popen:
    """A crawl running in the background (to be signalled or killed); stderr is captured."""
    return subprocess.Popen(
        crawl_args(start_url, output, **settings), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def run_crawl(start_url: str, output: Path, server: DemoServer | None = None, **settings: str) -> CrawlRun:
    """`scrapy crawl news -a url=...` in a subprocess, as an operator runs it."""
    args = crawl_args(start_url, output, **settings)
    before = len(server.site.served) if server else 0
    proc = subprocess.run(args, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    served = server.site.served[before:] if server else []
    return CrawlRun(output=output, returncode=proc.returncode, log=proc.stdout + proc.stderr, served=served)


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


@pytest.fixture(scope="session")
def demo_crawl(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlRun:
    """One full crawl of the demo site, shared by the end-to-end tests."""
    return run_crawl(demo_server.base + "/", tmp_path_factory.mktemp("crawl"), demo_server)


@dataclass
class RedisServer:
    url: str
    port: int


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server (Debian's; scripts/setup.sh installs it) on 127.0.0.1 and a free
    port, without persistence, stopped by pid at the end of the session."""
    import shutil
    import socket

    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed: run bash scripts/setup.sh (installs it with apt)"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    return conn.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(answers, timeout=20)
        assert answers(), "redis-server did not start"
        yield RedisServer(url=f"redis://127.0.0.1:{port}/0", port=port)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
