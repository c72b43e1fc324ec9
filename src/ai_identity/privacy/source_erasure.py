"""Erasure from the embedded platform's own stores (``erase --source-stores``): the deletes the engine issues
to the sources when configured to. Each store is one function; counts go onto the erasure receipt."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ai_identity.sources.embedded import layout as L

if TYPE_CHECKING:
    from ai_identity.privacy.erasure import ErasureReceipt, UserMarkers

__all__ = ["erase_source_stores"]


def _platform_tables(platform: Path, user_id: int, receipt: ErasureReceipt) -> None:
    from ai_identity.privacy.erasure import secure_sqlite

    db = platform / L.PLATFORM_DB
    if not db.exists():
        receipt.add(L.PLATFORM_DB, 0)
        return
    keys = (user_id, str(user_id))  # ids are integers in the layout; text ids are matched too
    with secure_sqlite(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        cols = {t: {r[1] for r in con.execute(f'PRAGMA table_info("{t}")')} for t in tables}
        resumes: list[Any] = []
        if "resumes" in cols and {"id", "user_id"} <= cols["resumes"]:
            resumes = [r[0] for r in con.execute("SELECT id FROM resumes WHERE user_id IN (?,?)", keys)]
        for t in tables:
            n = 0
            if "resume_id" in cols[t] and resumes:
                marks = ",".join("?" * len(resumes))
                n += con.execute(f'DELETE FROM "{t}" WHERE resume_id IN ({marks})', resumes).rowcount
            if "user_id" in cols[t]:
                n += con.execute(f'DELETE FROM "{t}" WHERE user_id IN (?,?)', keys).rowcount
            elif t == "users":
                n += con.execute("DELETE FROM users WHERE id IN (?,?)", keys).rowcount
            receipt.add(f"{L.PLATFORM_DB}:{t}", n)


def _private_db(platform: Path, user_id: int, receipt: ErasureReceipt) -> None:
    path = L.user_db_path(platform, user_id)
    rows = 0
    if path.exists():
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
                    rows += int(con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0])
            finally:
                con.close()
        except sqlite3.DatabaseError:
            rows = max(rows, 1)  # unreadable, still theirs: the file goes
    for p in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        p.unlink(missing_ok=True)
    receipt.add(f"{L.USERS_DIR}/{user_id}.sqlite", rows)


def _csv_row(line: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(line)), [])
    except csv.Error:
        return []


def _graph(platform: Path, m: UserMarkers, receipt: ErasureReceipt) -> None:
    from ai_identity.privacy.erasure import filter_lines

    for name in L.GRAPH_FILES.values():
        path = platform / L.GRAPH_DIR / name
        n = 0
        if m.graph_id and path.exists():
            with path.open(encoding="utf-8", newline="") as f:
                header = next(csv.reader(f), [])
            idx = [i for i, c in enumerate(header) if c in ("id", "from", "to")]
            gid = m.graph_id

            def drop(line: str, idx: list[int] = idx, gid: str = gid) -> bool:
                row = _csv_row(line) if gid in line else []
                return any(i < len(row) and row[i] == gid for i in idx)

            n = filter_lines(path, drop)
        receipt.add(f"{L.GRAPH_DIR}/{name}", n)


def _json_lines(platform: Path, m: UserMarkers, receipt: ErasureReceipt) -> None:
    from ai_identity.model import records as r
    from ai_identity.privacy.erasure import filter_lines
    from ai_identity.sources.embedded.stitch import VECTOR_ID, _redis_user

    email = (m.email or "").strip().lower()

    def document(line: str) -> bool:
        obj = _json(line)
        return bool(email) and isinstance(obj, dict) and str(obj.get("user_id", "")).strip().lower() == email

    def redis(line: str) -> bool:
        obj = _json(line)
        if not isinstance(obj, dict) or not isinstance(obj.get("key"), str):
            return False
        return _redis_user(r.RedisKey.model_construct(key=obj["key"], value=obj.get("value"))) == m.user_id

    def vector(line: str) -> bool:
        obj = _json(line)
        props = obj.get("properties", obj) if isinstance(obj, dict) else None
        match = VECTOR_ID.search(str(props.get("user_id", ""))) if isinstance(props, dict) else None
        return bool(match) and int(match.group(1)) == m.user_id  # type: ignore[union-attr]

    for name, drop in ((L.DOCUMENTS_FILE, document), (L.REDIS_FILE, redis), (L.VECTORS_FILE, vector)):
        receipt.add(name, filter_lines(platform / name, drop))


def _json(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def erase_source_stores(platform: Path, m: UserMarkers, receipt: ErasureReceipt) -> None:
    """Delete the user from the platform's relational tables, private database, graph, documents, Redis keys
    and vectors (the generator's ``_truth/`` answer key is not a store and is left alone)."""
    _platform_tables(platform, m.user_id, receipt)
    _private_db(platform, m.user_id, receipt)
    _graph(platform, m, receipt)
    _json_lines(platform, m, receipt)
