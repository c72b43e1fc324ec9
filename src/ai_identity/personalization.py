"""Personalization (the seed's 个性化程度): can a user's own identity be told apart from everyone else's?

Per user, 20% of sessions (chosen by a SHA-256 of the session id) and 20% of the resume's lines are
held out (both chosen by SHA-256, never Python's salted ``hash()``). A *profile* is built from the remaining 80% and a *probe* from the held-out slice, with the same
feature code the build uses (behaviour vector, interests vector, hashed n-gram content vector weighted by
inverse document frequency, skills vector from taxonomy mentions). The score is the share of users whose own profile is the probe's nearest neighbour (cosine).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from ai_identity.analyse.assemble import resume_text, timezone_of
from ai_identity.analyse.behavior import behavior_stats
from ai_identity.analyse.vectors import (
    BEHAVIOR_DIM,
    INTEREST_DIM,
    HashedNgramEmbedder,
    behavior_vector,
    interests_vector,
    skills_vector,
)
from ai_identity.evaluation_split import holdout_of
from ai_identity.features.taxonomy import load_taxonomy
from ai_identity.sources.embedded.events import read_events
from ai_identity.sources.embedded.reader import EmbeddedPlatform

# relative weight of the behaviour, content, skills and interests parts when matching a probe to a profile
WEIGHTS = (1.0, 1.0, 1.0, 1.0)


def _split_text(uid: int, text: str) -> tuple[str, str]:
    """80/20 split of a resume's non-blank lines, chosen by a SHA-256 of (user, line number)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    held = [i for i in range(len(lines)) if holdout_of(f"{uid}:{i}")]
    if not held and lines:
        held = [len(lines) - 1]
    keep = [ln for i, ln in enumerate(lines) if i not in held]
    return "\n".join(keep), "\n".join(lines[i] for i in held)


def personalization(
    platform: Path, ids: list[int], weights: tuple[float, float, float, float] = WEIGHTS
) -> float:
    from ai_identity.features.locations import timezone_for

    plat = EmbeddedPlatform(platform)
    as_of = plat.reference_time() or datetime.now(UTC)
    tz = {u: z for u, (s, loc) in plat.timezone_inputs().items() if (z := timezone_of(s, loc, timezone_for))}
    frame = read_events(plat.root, as_of).frame.filter(pl.col("user_id").is_in(ids))
    sessions = frame["session_id"].unique().to_list()
    held = [s for s in sessions if holdout_of(s)]
    test = frame.filter(pl.col("session_id").is_in(held))
    train = frame.filter(~pl.col("session_id").is_in(held))
    b_train, b_test = behavior_stats(train, tz, as_of), behavior_stats(test, tz, as_of)
    texts_train, texts_test = {}, {}
    for batch in plat.iter_batches(ids, as_of):
        for rec in batch:
            t = resume_text(rec)
            texts_train[rec.user_id], texts_test[rec.user_id] = (
                _split_text(rec.user_id, t[0]) if t else ("", "")
            )
    plat.close()
    tax = load_taxonomy()
    emb = HashedNgramEmbedder()
    # inverse document frequency over the profiles: template wording common to many resumes counts for little
    df: dict[str, int] = {}
    for u in ids:
        for tok in set(emb.tokens(texts_train[u])):
            df[tok] = df.get(tok, 0) + 1
    idf = {t: float(np.log((1 + len(ids)) / (1 + n)) + 1.0) for t, n in df.items()}

    def vec(b: dict, texts: dict[int, str]) -> np.ndarray:
        content = emb.embed([texts[u] for u in ids], idf)
        rows = []
        for i, u in enumerate(ids):
            s = b.get(u)
            bv = (
                behavior_vector(
                    s.hourly,
                    s.weekly,
                    s.devices,
                    s.target_mix,
                    s.action_mix,
                    s.success_rate,
                    s.sessions_per_week,
                )
                if s
                else np.zeros(BEHAVIOR_DIM, dtype=np.float32)
            )
            iv = interests_vector(s.interests) if s else np.zeros(INTEREST_DIM, dtype=np.float32)
            sv = skills_vector([(m.skill_id, 1.0, "intermediate") for m in tax.find_mentions(texts[u])])
            v = np.concatenate([weights[0] * bv, weights[1] * content[i], weights[2] * sv, weights[3] * iv])
            n = np.linalg.norm(v)
            rows.append(v / n if n else v)
        return np.stack(rows)

    profiles, probes = vec(b_train, texts_train), vec(b_test, texts_test)
    hits = 0
    for start in range(0, len(ids), 1024):
        sims = probes[start : start + 1024] @ profiles.T
        hits += int((sims.argmax(axis=1) == np.arange(start, start + len(sims))).sum())
    return round(hits / len(ids), 4) if ids else 0.0
