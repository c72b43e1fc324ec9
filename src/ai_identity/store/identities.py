"""The embedded identity store: one SQLite file beside the platform (``identity/identities.sqlite``).

Each build writes a batch in one transaction, so readers never see a half-written identity. Versions: an
identity whose content hash is unchanged keeps its version (only ``built_at`` moves); a changed one gets the
next version and the previous document is kept in ``identity_history``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ai_identity.errors import NotFoundError
from ai_identity.model.identity import Identity

SCHEMA = """
CREATE TABLE IF NOT EXISTS identities (
  user_id INTEGER PRIMARY KEY, identity_version INTEGER NOT NULL, content_hash TEXT NOT NULL,
  built_at TEXT NOT NULL, as_of TEXT NOT NULL, partial INTEGER NOT NULL, document TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS identity_history (
  user_id INTEGER NOT NULL, identity_version INTEGER NOT NULL, built_at TEXT NOT NULL, document TEXT NOT NULL,
  PRIMARY KEY (user_id, identity_version));
CREATE TABLE IF NOT EXISTS identity_vectors (
  user_id INTEGER NOT NULL, kind TEXT NOT NULL, dim INTEGER NOT NULL, vector BLOB NOT NULL,
  PRIMARY KEY (user_id, kind));
CREATE TABLE IF NOT EXISTS build_runs (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT, finished_at TEXT, as_of TEXT, summary TEXT);
"""


def default_path(platform: Path) -> Path:
    return Path(platform) / "identity" / "identities.sqlite"


class IdentityStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.con = sqlite3.connect(self.path, timeout=30)
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.executescript(SCHEMA)

    def prepare_row(self, ident: Identity) -> tuple[Any, ...]:
        """Set the identity's version against what is stored (unchanged content keeps its version) and return
        the row to write. Safe to call from a reader process; ``put_rows`` does the writing."""
        uid = ident.user["platform_id"]
        row = self.con.execute(
            "SELECT identity_version, content_hash FROM identities WHERE user_id=?", (uid,)
        ).fetchone()
        if row is not None:
            ident.identity_version = row[0] if row[1] == ident.content_hash else row[0] + 1
        return (
            uid,
            ident.identity_version,
            ident.content_hash,
            ident.built_at.isoformat(),
            ident.as_of.isoformat(),
            int(ident.partial),
            ident.document_json(),
        )

    def put_rows(self, rows: list[tuple[Any, ...]], vectors: list[tuple[int, str, np.ndarray]]) -> int:
        """Write prepared rows and vectors in one transaction (readers never see half a batch); returns how
        many identities got a new version. The replaced version moves to ``identity_history``."""
        changed = 0
        with self.con:
            for row in rows:
                uid, version = row[0], row[1]
                old = self.con.execute(
                    "SELECT identity_version, document, built_at FROM identities WHERE user_id=?", (uid,)
                ).fetchone()
                if old is None or old[0] != version:
                    changed += 1
                    if old is not None:
                        self.con.execute(
                            "INSERT OR REPLACE INTO identity_history VALUES (?,?,?,?)",
                            (uid, old[0], old[2], old[1]),
                        )
                self.con.execute("INSERT OR REPLACE INTO identities VALUES (?,?,?,?,?,?,?)", row)
            self.con.executemany(
                "INSERT OR REPLACE INTO identity_vectors VALUES (?,?,?,?)",
                [
                    (uid, kind, int(v.shape[0]), np.asarray(v, dtype="<f4").tobytes())
                    for uid, kind, v in vectors
                ],
            )
        return changed

    def put(self, ident: Identity, vectors: dict[str, np.ndarray] | None = None) -> int:
        """Write one identity (tests, incremental updates)."""
        return self.put_rows(
            [self.prepare_row(ident)], [(ident.user["platform_id"], k, v) for k, v in (vectors or {}).items()]
        )

    def get(self, user_id: int) -> Identity:
        row = self.con.execute("SELECT document FROM identities WHERE user_id=?", (user_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no identity for user {user_id} in this store (run build first)")
        return Identity.model_validate_json(row[0])

    def all(self) -> Iterator[Identity]:
        for (doc,) in self.con.execute("SELECT document FROM identities ORDER BY user_id"):
            yield Identity.model_validate_json(doc)

    def documents(self) -> dict[int, dict[str, Any]]:
        """Every stored document as JSON, by user id: exactly what a reader of the store gets."""
        rows = self.con.execute("SELECT user_id, document FROM identities ORDER BY user_id")
        return {uid: json.loads(doc) for uid, doc in rows}

    def user_ids(self) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT user_id FROM identities ORDER BY user_id")]

    def vectors(self, kind: str) -> tuple[list[int], np.ndarray]:
        rows = self.con.execute(
            "SELECT user_id, vector FROM identity_vectors WHERE kind=? ORDER BY user_id", (kind,)
        ).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.stack([np.frombuffer(r[1], dtype="<f4") for r in rows])

    def record_run(self, started: str, finished: str, as_of: str, summary: dict) -> None:
        with self.con:
            self.con.execute(
                "INSERT INTO build_runs (started_at, finished_at, as_of, summary) VALUES (?,?,?,?)",
                (started, finished, as_of, json.dumps(summary)),
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> IdentityStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
