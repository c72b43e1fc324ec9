"""Vectors: content, skills and behaviour, for similarity search.

Method.
- skills: feature hashing of canonical taxonomy ids (SHA-256, signed) weighted by score x level, L2-normalised
  — language-independent by construction (a zh and an en resume naming the same skills land together).
- content: the default embedder, ``hashed-ngram-v1``, hashes Chinese character bigrams and Latin word
  unigrams/bigrams (log term frequency, signed) into 512 dimensions. It runs offline with no model and
  separates Chinese texts, which all-MiniLM-L6-v2 (English-only vocabulary) does not; a local
  sentence-transformers model can be configured instead (``SentenceTransformerEmbedder``).
- behaviour: the 24-hour and 7-day rhythms, device, target and action shares, success rate and activity,
  concatenated and L2-normalised.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from functools import lru_cache
from typing import Protocol

import numpy as np

SKILL_DIM = 256
CONTENT_DIM = 512
LEVEL_FACTOR = {"beginner": 0.5, "intermediate": 0.75, "advanced": 0.9, "expert": 1.0}
_TOKEN = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9+#.]+", re.IGNORECASE)
TARGETS = ("template", "company", "resume", "job", "profile", "ai_assistant", "notification", "session")
ACTIONS = ("login", "logout", "view", "create", "update", "delete", "search", "apply", "share")
DEVICES = ("desktop", "mobile", "tablet", "bot")


@lru_cache(maxsize=200_000)
def _slot(token: str, dim: int) -> tuple[int, float]:
    h = hashlib.sha256(token.encode("utf-8")).digest()
    return int.from_bytes(h[:4], "little") % dim, 1.0 if h[4] & 1 else -1.0


@lru_cache(maxsize=4096)
def _log_tf(n: int) -> float:
    return float(1.0 + np.log(n))


def _normalise(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n else v.astype(np.float32)


def skills_vector(skills: list[tuple[str, float, str]]) -> np.ndarray:
    """(skill id, score, level) triples -> unit vector."""
    v = np.zeros(SKILL_DIM)
    for sid, score, level in skills:
        i, sign = _slot("skill:" + sid, SKILL_DIM)
        v[i] += sign * score * LEVEL_FACTOR.get(level, 0.75)
    return _normalise(v)


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class HashedNgramEmbedder:
    """Offline bilingual text embedder (see module docstring)."""

    name = "hashed-ngram-v1"
    dim = CONTENT_DIM

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for m in _TOKEN.finditer(text.lower()):
            t = m.group(0)
            if "\u4e00" <= t[0] <= "\u9fff":
                out.extend(t[i : i + 2] for i in range(max(1, len(t) - 1)))
            else:
                out.append(t)
        words = [t for t in out if t.isascii()]
        out.extend(a + " " + b for a, b in itertools.pairwise(words))
        return out

    def embed(self, texts: list[str], idf: dict[str, float] | None = None) -> np.ndarray:
        """Unit vectors of log term frequency (times ``idf`` when given) hashed into ``dim`` slots."""
        mat = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            # plain floats per slot (the same IEEE sums, in the same order, without a NumPy call per token)
            acc = [0.0] * self.dim
            for t, n in Counter(self.tokens(text)).items():
                i, sign = _slot(t, self.dim)
                acc[i] += sign * _log_tf(n) * (idf.get(t, 1.0) if idf else 1.0)
            mat[row] = _normalise(np.array(acc))
        return mat


class SentenceTransformerEmbedder:
    """Any local sentence-transformers model (optional extra; never downloads at run time)."""

    def __init__(self, path: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            from ai_identity.errors import MissingDependencyError

            raise MissingDependencyError("sentence-transformers", "embeddings") from exc
        self.model = SentenceTransformer(path, device="cpu", local_files_only=True)
        self.name = f"sentence-transformers:{path}"
        self.dim = int(self.model.get_sentence_embedding_dimension() or 0)

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self.model.encode(texts, normalize_embeddings=True), dtype=np.float32)


INTEREST_DIM = 128


def interests_vector(interests: dict[str, dict[int, int]]) -> np.ndarray:
    """Hashed (kind, id) counts of the jobs and companies a user acts on, log-scaled, unit length."""
    v = np.zeros(INTEREST_DIM)
    for kind, ids in interests.items():
        for tid, n in ids.items():
            i, sign = _slot(f"{kind}:{tid}", INTEREST_DIM)
            v[i] += sign * (1.0 + np.log(n))
    return _normalise(v)


def behavior_vector(
    hourly: list[float],
    weekly: list[float],
    devices: dict[str, int],
    targets: dict[str, float],
    actions: dict[str, float],
    success_rate: float,
    sessions_per_week: float,
) -> np.ndarray:
    total_dev = sum(devices.values()) or 1
    parts = [
        np.asarray(hourly, dtype=float),
        np.asarray(weekly, dtype=float),
        np.array([devices.get(d, 0) / total_dev for d in DEVICES]),
        np.array([targets.get(t, 0.0) for t in TARGETS]),
        np.array([actions.get(a, 0.0) for a in ACTIONS]),
        np.array([success_rate, min(1.0, sessions_per_week / 7)]),
    ]
    return _normalise(np.concatenate(parts))


BEHAVIOR_DIM = 24 + 7 + len(DEVICES) + len(TARGETS) + len(ACTIONS) + 2
