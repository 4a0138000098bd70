"""Crawl throughput and memory: the whole newscrawl pipeline against plain Scrapy, same site,
same run.

    python -m bench.throughput                    # 5,000 pages, 3 rounds of A B
    python -m bench.throughput --pages 50000 --rounds 1 --variants B
    python -m bench.throughput --with-trafilatura # adds C
    python -m bench.throughput --compression gzip # pages served gzipped, as real sites do

Variants, run interleaved (A B C A B C …) so machine noise hits all alike, each a fresh
process and output root against the synthetic site of bench/site.py on 127.0.0.1:
  A  fetch only: a Scrapy SitemapSpider from robots.txt that drops every response;
  B  newscrawl: ``scrapy crawl news -a url=<site>/`` (discovery, WARC capture, extraction,
     dedup, both Parquet tables), politeness delays off, same concurrency;
  C  (optional) A plus trafilatura's extraction in the callback: the usual alternative;
  P  (optional, ``--previous DIR``) B with the code of another checkout of this project
     (e.g. ``git worktree add /tmp/prev HEAD~1``): a change measured side by side.
Printed: pages/s (site articles / crawl seconds) median, B/A ratio (median of the rounds'
ratios), CPU ms per page (the crawl process and its extraction workers, from wait4), CPU by
stage for B (its ``newscrawl/cpu_ms/*`` stats) and the share of it spent writing WARC and
Parquet, peak RSS. JSON to --json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.site import COMPRESSIONS, SiteServer, build, site_port

PROJECT = Path(__file__).resolve().parent.parent
COMMON = {
    "CONCURRENT_REQUESTS": "32", "CONCURRENT_REQUESTS_PER_DOMAIN": "32", "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "false", "LOG_LEVEL": "INFO", "RETRY_ENABLED": "false",
}


ARCHIVE_STAGES = ("warc", "parquet")  # the stages that write WARC and Parquet (cpu_stage names)


def _settings(values: dict[str, str]) -> list[str]:
    return [arg for key, value in values.items() for arg in ("-s", f"{key}={value}")]


def command(variant: str, base: str, work: Path, extra: dict[str, str], previous: Path | None = None) -> tuple[list[str], dict[str, str], Path]:
    """Command line, environment and stats file of one run."""
    env = dict(os.environ)
    if variant == "P":  # B, its packages imported from the other checkout first
        assert previous is not None
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(previous), env.get("PYTHONPATH")]))
        variant = "B"
    if variant == "B":
        settings = {**COMMON, "OUTPUT_ROOT": str(work / "out"), "ALLOW_PRIVATE_NETWORKS": "true", "NEWSCRAWL_MIN_DELAY": "0",
                    "WORKER_ID": "bench", **extra}
        return [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base}/", *_settings(settings)], env, work / "out" / "logs"
    env["SCRAPY_SETTINGS_MODULE"] = "bench.fetch_settings"
    stats = work / "stats.json"
    args = [sys.executable, "-m", "scrapy", "runspider", str(PROJECT / "bench" / "fetch_only.py"), "-a", f"base={base}",
            *_settings({**COMMON, "BENCH_STATS_FILE": str(stats)})]
    if variant == "C":
        args += ["-a", "extract=trafilatura"]
    return args, env, stats


def run_once(variant: str, base: str, pages: int, extra: dict[str, str], previous: Path | None = None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"bench-{variant}-"))
    try:
        args, env, stats_at = command(variant, base, work, extra, previous)
        started = time.perf_counter()
        with open(work / "log.txt", "w") as log:
            cwd = previous if variant == "P" and previous else PROJECT  # `python -m` puts the cwd first on sys.path
            proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=log)
            _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if status != 0 and os.waitstatus_to_exitcode(status) not in (0, 4):
            raise RuntimeError(f"{variant} failed ({status}): {(work / 'log.txt').read_text()[-2000:]}")
        stats_file = stats_at if stats_at.suffix == ".json" else next(stats_at.glob("*.json"))
        stats = json.loads(stats_file.read_text())
        seconds = float(stats.get("elapsed_time_seconds") or wall)
        fetched = _articles_fetched(variant, stats)
        cpu = usage.ru_utime + usage.ru_stime
        result = {
            "variant": variant, "pages": pages, "articles_fetched": fetched, "crawl_seconds": round(seconds, 2),
            "pages_per_s": round(pages / seconds, 1), "cpu_ms_per_page": round(1000 * cpu / pages, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "crawler_peak_rss_mb": stats.get("newscrawl/memory/peak_rss_mb") or stats.get("bench/peak_rss_mb"),
            "stages_cpu_ms_per_page": {
                k.removeprefix("newscrawl/cpu_ms/"): round(v / pages, 3) for k, v in stats.items() if k.startswith("newscrawl/cpu_ms/")
            },
        }
        if fetched < pages:
            result["warning"] = f"only {fetched} of {pages} article pages fetched"
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _articles_fetched(variant: str, stats: dict[str, Any]) -> int:
    if variant in ("B", "P"):
        return int(stats.get("newscrawl/parse/articles", 0))
    return int(stats.get("bench/article_pages", 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", default="AB", help="letters of the variants to run (A, B, C)")
    parser.add_argument("--with-trafilatura", action="store_true", help="add variant C")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="extra setting for B")
    parser.add_argument("--previous", type=Path, help="another checkout of the project: adds variant P (B with its code)")
    parser.add_argument("--compression", choices=COMPRESSIONS, default="none",
                        help="gzip: the site serves precompressed pages (Content-Encoding: gzip), as news sites do")
    parser.add_argument("--json", type=Path, default=PROJECT / "output" / "bench" / "throughput.json")
    args = parser.parse_args(argv)
    variants = list(dict.fromkeys(args.variants.upper() + ("C" if args.with_trafilatura else "") + ("P" if args.previous else "")))
    if "P" in variants and args.previous is None:
        parser.error("variant P needs --previous DIR")
    extra = dict(item.split("=", 1) for item in args.set)
    port = site_port(args.pages)
    folder = build(args.pages, port)
    runs: list[dict[str, Any]] = []
    with SiteServer(folder, port, args.compression) as server:
        print(f"site: {args.pages} article pages served by {server.kind} at {server.base} "
              f"(compression: {args.compression}); {os.cpu_count()} cores")
        for round_no in range(args.rounds):
            for variant in variants:
                result = run_once(variant, server.base, args.pages, extra, args.previous)
                result["round"] = round_no
                runs.append(result)
                print(json.dumps(result), flush=True)
    summary = summarize(runs, variants)
    print_table(summary)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(
        {"pages": args.pages, "compression": args.compression, "settings_B": extra, "runs": runs, "summary": summary}, indent=2
    ))
    print(f"written: {args.json}")
    return 0


def summarize(runs: list[dict[str, Any]], variants: list[str]) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    for variant in variants:
        mine = [r for r in runs if r["variant"] == variant]
        stages: dict[str, list[float]] = {}
        for r in mine:
            for k, v in r["stages_cpu_ms_per_page"].items():
                stages.setdefault(k, []).append(v)
        summary[variant] = {
            "pages_per_s": statistics.median(r["pages_per_s"] for r in mine),
            "cpu_ms_per_page": statistics.median(r["cpu_ms_per_page"] for r in mine),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in mine),
            "stages_cpu_ms_per_page": {k: statistics.median(v) for k, v in sorted(stages.items())},
        }
        if stages:  # per run, then the median: stage and total CPU of the same crawl
            shares = [
                sum(r["stages_cpu_ms_per_page"].get(k, 0.0) for k in ARCHIVE_STAGES) / r["cpu_ms_per_page"] for r in mine if r["cpu_ms_per_page"]
            ]
            summary[variant]["archive_cpu_share"] = round(statistics.median(shares), 4)
    if "A" in variants:
        for variant in variants:
            ratios = [
                b["pages_per_s"] / a["pages_per_s"]
                for a, b in zip([r for r in runs if r["variant"] == "A"], [r for r in runs if r["variant"] == variant])
            ]
            summary[variant]["ratio_to_A"] = round(statistics.median(ratios), 3)
    return summary


def print_table(summary: dict[str, Any]) -> None:
    names = {"A": "fetch only (plain Scrapy)", "B": "newscrawl, full pipeline", "C": "fetch + trafilatura",
             "P": "newscrawl, previous checkout"}
    print("| variant | pages/s (median) | ratio to A | CPU ms/page | peak RSS MB |")
    print("| --- | --- | --- | --- | --- |")
    for variant, s in summary.items():
        print(f"| {names[variant]} | {s['pages_per_s']:.1f} | {s.get('ratio_to_A', float('nan')):.2f} | {s['cpu_ms_per_page']:.1f} | {s['peak_rss_mb']:.0f} |")
    for variant, s in summary.items():
        if s["stages_cpu_ms_per_page"]:
            parts = ", ".join(f"{k} {v:.2f}" for k, v in s["stages_cpu_ms_per_page"].items())
            print(f"{variant} CPU ms/page by stage: {parts}")
            print(f"{variant} WARC + Parquet writing: {100 * s['archive_cpu_share']:.1f} % of its CPU (median of the runs)")


if __name__ == "__main__":
    raise SystemExit(main())
