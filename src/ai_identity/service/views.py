"""Rendered identity documents, cached per process: ``GET /v1/identities/{id}`` answers from memory while the
stored identity is unchanged.

An entry is the JSON of ``view(identity, viewer)`` with the stamp of the row it came from (``identity_version``
and ``built_at``). Every request first reads the row's current stamp (one indexed SQLite lookup, no document);
only a matching stamp is served from memory, so a new version (an incremental update, a consent change, a
build) or an erasure is seen at once, by every worker process. Erasure also drops the entry of this process.
Least recently used entries leave first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from ai_identity.errors import NotFoundError

__all__ = ["ViewCache", "render", "stamp_of"]

Stamp = tuple[int, str]


def stamp_of(store: Any, user_id: int) -> Stamp | None:
    row = store.con.execute(
        "SELECT identity_version, built_at FROM identities WHERE user_id=?", (user_id,)
    ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def render(store: Any, user_id: int, viewer: str) -> tuple[Stamp, bytes]:
    """The identity as ``viewer`` sees it, with the stamp of the row it was read from (one read)."""
    from ai_identity.analyse.persona import view
    from ai_identity.model.identity import Identity

    row = store.con.execute(
        "SELECT identity_version, built_at, document FROM identities WHERE user_id=?", (user_id,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no identity for user {user_id} in this store (run build first)")
    doc = view(Identity.model_validate_json(row[2]), viewer).document_json()
    return (int(row[0]), str(row[1])), doc.encode() if isinstance(doc, str) else doc


class ViewCache:
    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[int, str], tuple[Stamp, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, user_id: int, viewer: str, stamp: Stamp) -> bytes | None:
        with self._lock:
            entry = self._entries.get((user_id, viewer))
            if entry is None or entry[0] != stamp:
                self.misses += 1
                return None
            self._entries.move_to_end((user_id, viewer))
            self.hits += 1
            return entry[1]

    def put(self, user_id: int, viewer: str, stamp: Stamp, body: bytes) -> None:
        with self._lock:
            self._entries[(user_id, viewer)] = (stamp, body)
            self._entries.move_to_end((user_id, viewer))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def drop(self, user_id: int) -> None:
        with self._lock:
            for viewer in ("self", "trusted", "public"):
                self._entries.pop((user_id, viewer), None)
