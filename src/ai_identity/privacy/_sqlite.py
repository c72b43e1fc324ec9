"""The SQLite file shared by the ledger and the audit log: WAL, autocommit, explicit write transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self


class SqliteFile:
    """One connection in autocommit mode; :meth:`immediate` opens a ``BEGIN IMMEDIATE`` transaction.

    ``BEGIN IMMEDIATE`` takes SQLite's write lock before anything is read, so a read-check-write inside it is
    atomic across processes (others wait up to a minute for the lock).
    """

    def __init__(self, path: Path, schema: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute("PRAGMA busy_timeout=60000")
        self._con.executescript(schema)

    @contextmanager
    def immediate(self) -> Iterator[sqlite3.Connection]:
        self._con.execute("BEGIN IMMEDIATE")
        try:
            yield self._con
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
