"""What earlier captures saw, kept across runs (DESIGN §5): SQLite under OUTPUT_ROOT/state/.

For now it holds what WARC deduplication needs: the first capture of every payload digest
(for identical-payload-digest revisits) and the latest capture of every URL (for
server-not-modified revisits after a 304). One database per output root, shared by the
runs and by the processes writing to that root on one machine (SQLite WAL; every write is
its own short transaction, so processes never hold the lock for long). Workers on many
machines share a Redis store instead (scale-out).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS payloads (
    digest TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    warc_date TEXT NOT NULL,
    record_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    warc_date TEXT NOT NULL,
    record_id TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class CaptureRef:
    """Where an earlier capture is: enough for a revisit record's WARC-Refers-To* headers."""

    url: str
    warc_date: str
    record_id: str
    digest: str


class StateStore:
    """SQLite in WAL mode with autocommit: synchronous=NORMAL makes a commit cheap (no fsync;
    a power cut may lose the last writes, which only costs a few missed revisits)."""

    FILENAME = "captures.sqlite"

    def __init__(self, path: Path, busy_timeout_s: float = 30.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, timeout=busy_timeout_s, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    @classmethod
    def in_dir(cls, state_dir: Path) -> StateStore:
        return cls(state_dir / cls.FILENAME)

    def payload(self, digest: str) -> CaptureRef | None:
        row = self._db.execute(
            "SELECT url, warc_date, record_id, digest FROM payloads WHERE digest = ?", (digest,)
        ).fetchone()
        return CaptureRef(*row) if row else None

    def latest(self, url: str) -> CaptureRef | None:
        row = self._db.execute("SELECT url, warc_date, record_id, digest FROM urls WHERE url = ?", (url,)).fetchone()
        return CaptureRef(*row) if row else None

    def remember(self, ref: CaptureRef, *, original: bool) -> None:
        """Record a capture of ``ref.url``; ``original`` when it stored the payload itself."""
        if original:
            self._db.execute(
                "INSERT OR IGNORE INTO payloads (digest, url, warc_date, record_id) VALUES (?, ?, ?, ?)",
                (ref.digest, ref.url, ref.warc_date, ref.record_id),
            )
        self._db.execute(
            "INSERT OR REPLACE INTO urls (url, digest, warc_date, record_id) VALUES (?, ?, ?, ?)",
            (ref.url, ref.digest, ref.warc_date, ref.record_id),
        )

    def close(self) -> None:
        self._db.close()
