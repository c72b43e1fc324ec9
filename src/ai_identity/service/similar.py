"""Similar users: an HNSW index (hnswlib, cosine) over the stored skills vectors, built at startup."""

from __future__ import annotations

import threading

import numpy as np

from ai_identity.errors import NotFoundError

__all__ = ["SimilarIndex"]


class SimilarIndex:
    def __init__(self, user_ids: list[int], matrix: np.ndarray) -> None:
        import hnswlib

        self._lock = threading.Lock()
        keep = [i for i in range(len(user_ids)) if matrix.ndim == 2 and np.linalg.norm(matrix[i]) > 0]
        self._known = {user_ids[i] for i in keep}
        self._index = None
        if keep:
            data = np.ascontiguousarray(matrix[keep], dtype=np.float32)
            index = hnswlib.Index(space="cosine", dim=int(data.shape[1]))
            index.init_index(max_elements=len(keep), ef_construction=200, M=16, random_seed=7)
            # every core: at 100,000 identities the build is the service's start-up time
            index.add_items(data, np.asarray([user_ids[i] for i in keep], dtype=np.int64), num_threads=-1)
            index.set_ef(64)
            self._index = index

    @property
    def size(self) -> int:
        return len(self._known)

    def similar(self, user_id: int, k: int) -> list[tuple[int, float]]:
        """The ``k`` nearest other users with their cosine similarity, best first."""
        with self._lock:
            if self._index is None or user_id not in self._known:
                raise NotFoundError("no skills vector for this user")
            vec = self._index.get_items([user_id])
            n = min(k + 1, len(self._known))
            self._index.set_ef(max(64, n))
            labels, dists = self._index.knn_query(np.asarray(vec, dtype=np.float32), k=n)
        pairs = [(int(u), round(1.0 - float(d), 6)) for u, d in zip(labels[0], dists[0], strict=True)]
        return [p for p in pairs if p[0] != user_id][:k]

    def remove(self, user_id: int) -> None:
        """Forget a user (erasure): they are never returned again."""
        with self._lock:
            if self._index is not None and user_id in self._known:
                self._index.mark_deleted(user_id)
                self._known.discard(user_id)
