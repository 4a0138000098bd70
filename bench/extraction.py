"""Extraction quality and speed: newscrawl against trafilatura, side by side, same run.

    python -m bench.extraction                       # ../shared/eval/{aeb,fundus}/ dev halves
    python -m bench.extraction path/to/dataset ...   # any folder in that layout
    python -m bench.extraction --variants            # also on pages varied as unseen sites are (bench/variants.py)

Each page is extracted by every system in turn (interleaved, so machine noise hits all of
them alike), in several passes; pages/s counts only the time inside the extraction call and
is the median over the passes. When
../shared/eval/score.py is present, our figures are recomputed with it and must agree.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import metrics, variants
from bench.adapter import newscrawl_system

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
System = Callable[[str, str], dict[str, Any]]


def trafilatura_system(html: str, url: str) -> dict[str, Any]:
    """trafilatura as score.py runs it (bare_extraction, no comments, with metadata)."""
    import unicodedata

    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=True)
    if doc is None:
        return {}
    return {
        "headline": doc.title,
        "body": unicodedata.normalize("NFC", doc.text).strip() if doc.text else None,
        "authors": [a.strip() for a in (doc.author or "").split(";") if a.strip()],
        "date_published": doc.date,
        "topics": list(doc.tags or []),
    }


def load(folder: Path, split: str) -> list[tuple[dict[str, Any], str]]:
    truths = [json.loads(line) for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = set(json.loads((folder / "splits.json").read_text(encoding="utf-8")).get(split) or [t["id"] for t in truths])
    return [
        (t, (folder / "pages" / f"{t['id']}.html").read_text(encoding="utf-8"))
        for t in sorted(truths, key=lambda t: t["id"])
        if t["id"] in wanted
    ]


def run(pages: list[tuple[dict[str, Any], str]], systems: dict[str, System], rounds: int = 3) -> dict[str, dict[str, Any]]:
    """Score every system; speed is the median over ``rounds`` interleaved passes."""
    preds: dict[str, list[dict[str, Any]]] = {name: [] for name in systems}
    crashes = dict.fromkeys(systems, 0)
    speeds: dict[str, list[float]] = {name: [] for name in systems}
    for name, fn in systems.items():  # warm-up, untimed (imports, caches)
        fn(pages[0][1], pages[0][0].get("url") or "")
    for round_no in range(rounds):
        seconds = dict.fromkeys(systems, 0.0)
        for truth, html in pages:
            for name, fn in systems.items():
                start = time.perf_counter()
                try:
                    out = fn(html, truth.get("url") or "")
                except Exception:  # a crash is scored as an empty prediction and counted
                    out = {}
                    crashes[name] += round_no == 0
                seconds[name] += time.perf_counter() - start
                if round_no == 0:
                    preds[name].append(out or {})
        for name in systems:
            speeds[name].append(len(pages) / seconds[name])
    truths = [t for t, _ in pages]
    return {
        name: {
            **metrics.score(truths, preds[name]),
            "crashes": crashes[name],
            "pages_per_s": statistics.median(speeds[name]),
            "_preds": preds[name],
        }
        for name in systems
    }


def check_against_score_py(truths: list[dict[str, Any]], preds: list[dict[str, Any]], ours: dict[str, Any]) -> str:
    path = EVAL / "score.py"
    if not path.exists():
        return "score.py not found: agreement not checked"
    spec = importlib.util.spec_from_file_location("eval_score", path)
    assert spec and spec.loader
    score_py = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score_py)
    pages = [{"scores": score_py.score_page(t, score_py.validate_output(p, t["id"])), "time_s": 0, "lxml_s": 0} for t, p in zip(truths, preds)]
    theirs = score_py.aggregate(pages, {"headline", "body", "authors", "date_published", "topics"}, 0)
    keys = ["body_precision", "body_recall", "body_f1", "headline_em", "authors_f1", "date_ok", "topics_f1"]
    diffs = [k for k in keys if (ours.get(k) is None) != (theirs.get(k) is None) or abs((ours.get(k) or 0) - (theirs.get(k) or 0)) > 1e-9]
    if diffs:
        raise SystemExit(f"metrics disagree with score.py on {diffs}: ours {ours} theirs {theirs}")
    return "metrics agree with score.py"


def fmt(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="*", type=Path, help="dataset folders (default: ../shared/eval/aeb, fundus)")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--no-trafilatura", action="store_true", help="only newscrawl")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved timing passes (median reported)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--variants", action="store_true",
        help="also score every system on the pages with class/id names hashed, removed, and without structured data (bench/variants.py)",
    )
    args = parser.parse_args(argv)
    datasets = args.datasets or [EVAL / "aeb", EVAL / "fundus"]
    systems: dict[str, System] = {"newscrawl": newscrawl_system}
    if not args.no_trafilatura:
        systems["trafilatura"] = trafilatura_system
    report: dict[str, Any] = {}
    cols = ["body_f1", "body_precision", "body_recall", "headline_em", "authors_f1", "date_ok", "topics_f1", "crashes", "pages_per_s"]
    for folder in datasets:
        pages = load(folder, args.split)
        results = run(pages, systems, args.rounds)
        print(f"\n{folder.name} ({args.split}, {len(pages)} pages)")
        print("| system | " + " | ".join(cols) + " |")
        print("|---" * (len(cols) + 1) + "|")
        for name, figures in results.items():
            print(f"| {name} | " + " | ".join(fmt(figures.get(c)) for c in cols) + " |")
        if "trafilatura" in results:
            ratio = results["newscrawl"]["pages_per_s"] / results["trafilatura"]["pages_per_s"]
            print(f"speed ratio newscrawl / trafilatura: {ratio:.2f}x")
        print(check_against_score_py([t for t, _ in pages], results["newscrawl"]["_preds"], results["newscrawl"]))
        report[folder.name] = {name: {k: v for k, v in f.items() if k != "_preds"} for name, f in results.items()}
        if args.variants:
            print(f"\n{folder.name}: the pages varied as unseen sites are (quality only, one pass)")
            print("| system | variant | " + " | ".join(cols[:-2]) + " |")
            print("|---" * len(cols) + "|")
            for mode in variants.MODES:
                varied = run([(t, variants.vary(page, mode)) for t, page in pages], systems, rounds=1)
                for name, figures in varied.items():
                    print(f"| {name} | {mode} | " + " | ".join(fmt(figures.get(c)) for c in cols[:-2]) + " |")
                    report[folder.name][f"{name} ({mode})"] = {k: v for k, v in figures.items() if k not in ("_preds", "pages_per_s")}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
