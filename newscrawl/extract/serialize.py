"""Articles as JSON-ready dicts (ISO 8601 dates), for the CLI and saved-page fixtures."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from newscrawl.items import Article


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def article_to_dict(article: Article) -> dict[str, Any]:
    return jsonable(asdict(article))
