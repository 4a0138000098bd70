"""Extraction metrics, defined exactly as ../shared/eval/score.py defines them.

body: article-extraction-benchmark shingle metric (\\w+ tokens, 4-gram multisets, per-page
tp/fp/fn normalised, P and R averaged over pages, F1 of the averages; an empty prediction
counts as recall 0 and is left out of precision). headline: exact match after whitespace
normalisation. authors/topics: per-page set F1 of NFKC-casefolded names. date: same
calendar day (in the truth's UTC offset when both have one).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
import unicodedata
from collections import Counter
from typing import Any

from dateutil import parser as dateutil_parser

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def body_counts(true: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def body_prf(counts: list[tuple[float, float, float]]) -> dict[str, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    ps = [precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def norm_ws(text: str | None) -> str:
    return " ".join((text or "").translate(_ZERO_WIDTH).split())


def norm_name(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).casefold().split())


def set_f1(true: list[str], pred: list[str] | None) -> float:
    t = {norm_name(x) for x in true if norm_name(x)}
    p = {norm_name(x) for x in pred or [] if norm_name(x)}
    if not t and not p:
        return 1.0
    if not t or not p:
        return 0.0
    return 2 * len(t & p) / (len(t) + len(p))


def _parse_date(text: str | None) -> dt.date | dt.datetime | None:
    if not text:
        return None
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return dateutil_parser.parse(text)
    except (ValueError, OverflowError):
        return None


def same_day(true: str, pred: str | None) -> bool:
    t, p = _parse_date(true), _parse_date(pred)
    if t is None or p is None:
        return False
    if isinstance(p, dt.datetime):
        if isinstance(t, dt.datetime) and t.tzinfo is not None and p.tzinfo is not None:
            p = p.astimezone(t.tzinfo)
        p = p.date()
    t = t.date() if isinstance(t, dt.datetime) else t
    return p == t


def score(truths: list[dict[str, Any]], preds: list[dict[str, Any]]) -> dict[str, float | None]:
    """Dataset-level figures, over the pages whose truth has each field."""
    body = [body_counts(t["body"] or "", p.get("body") or "") for t, p in zip(truths, preds) if "body" in t]
    out: dict[str, float | None] = {f"body_{k}": v for k, v in body_prf(body).items()} if body else {}

    def mean(values: list[float]) -> float | None:
        return statistics.mean(values) if values else None

    pairs = list(zip(truths, preds))
    out["headline_em"] = mean([float(norm_ws(t["headline"]) == norm_ws(p.get("headline"))) for t, p in pairs if t.get("headline")])
    out["authors_f1"] = mean([set_f1(t["authors"], p.get("authors")) for t, p in pairs if t.get("authors")])
    out["date_ok"] = mean([float(same_day(t["date_published"], p.get("date_published"))) for t, p in pairs if t.get("date_published")])
    out["topics_f1"] = mean([set_f1(t["topics"], p.get("topics")) for t, p in pairs if t.get("topics")])
    return out
