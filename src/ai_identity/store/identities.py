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

    def put_batch(self, items: list[tuple[Identity, dict[str, np.ndarray]]]) -> int:
        """Write identities and their vectors in one transaction; returns how many changed version."""
        changed = 0
        with self.con:
            for ident, vectors in items:
                uid = ident.user["platform_id"]
                row = self.con.execute("SELECT identity_version, content_hash, document FROM identities WHERE user_id=?",
                                       (uid,)).fetchone()
                if row is not None and row[1] == ident.content_hash:
                    ident.identity_version = row[0]
                else:
                    if row is not None:
                        self.con.execute("INSERT OR REPLACE INTO identity_history VALUES (?,?,?,?)",
                                         (uid, row[0], json.loads(row[2])["built_at"], row[2]))
                        ident.identity_version = row[0] + 1
                    changed += 1
                doc = ident.model_dump_json()
                self.con.execute("INSERT OR REPLACE INTO identities VALUES (?,?,?,?,?,?,?)",
                                 (uid, ident.identity_version, ident.content_hash, ident.built_at.isoformat(),
                                  ident.as_of.isoformat(), int(ident.partial), doc))
                for kind, vec in vectors.items():
                    self.con.execute("INSERT OR REPLACE INTO identity_vectors VALUES (?,?,?,?)",
                                     (uid, kind, int(vec.shape[0]), np.asarray(vec, dtype="<f4").tobytes()))
        return changed

    def get(self, user_id: int) -> Identity:
        row = self.con.execute("SELECT document FROM identities WHERE user_id=?", (user_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no identity for user {user_id} in this store (run build first)")
        return Identity.model_validate_json(row[0])

    def all(self) -> Iterator[Identity]:
        for (doc,) in self.con.execute("SELECT document FROM identities ORDER BY user_id"):
            yield Identity.model_validate_json(doc)

    def user_ids(self) -> list[int]:
        return [r[0] for r in self.con.execute("SELECT user_id FROM identities ORDER BY user_id")]

    def vectors(self, kind: str) -> tuple[list[int], np.ndarray]:
        rows = self.con.execute("SELECT user_id, vector FROM identity_vectors WHERE kind=? ORDER BY user_id",
                                (kind,)).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.stack([np.frombuffer(r[1], dtype="<f4") for r in rows])

    def record_run(self, started: str, finished: str, as_of: str, summary: dict) -> None:
        with self.con:
            self.con.execute("INSERT INTO build_runs (started_at, finished_at, as_of, summary) VALUES (?,?,?,?)",
                             (started, finished, as_of, json.dumps(summary)))

    def close(self) -> None:
        self.con.close()
