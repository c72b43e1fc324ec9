"""``build``: collect -> preprocess -> analyse -> assemble -> store, for every user of an embedded platform.

Behaviour and the collaboration network are computed once for all users (columnar / graph-wide); everything
else runs a batch of users at a time. The ground-truth folder (``_truth/``) is never opened.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ai_identity.analyse.assemble import Context, assemble, resume_text, timezone_of
from ai_identity.analyse.behavior import behavior_stats
from ai_identity.analyse.network import network_stats
from ai_identity.analyse.vectors import HashedNgramEmbedder, behavior_vector, skills_vector
from ai_identity.collect import LEVEL_TIERS, consent_of
from ai_identity.errors import UsageError
from ai_identity.features.taxonomy import load_taxonomy
from ai_identity.settings import Settings, platform_secret
from ai_identity.sources.embedded.events import read_events
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.store.identities import IdentityStore, default_path

Progress = Callable[[str, int, int], None]


@dataclass
class BuildSummary:
    users: int = 0
    built: int = 0
    partial: int = 0
    stubs: int = 0
    changed: int = 0
    skipped: dict[int, str] = field(default_factory=dict)
    private_skipped: dict[int, str] = field(default_factory=dict)
    partial_reasons: Counter[str] = field(default_factory=Counter)
    sources: dict[str, Any] = field(default_factory=dict)
    absent_sources: list[str] = field(default_factory=list)
    as_of: str = ""
    store: str = ""
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0: every user processed; 3: a user, a user's private data or a whole source was skipped."""
        return 3 if self.skipped or self.absent_sources or self.private_skipped else 0

    def as_dict(self) -> dict[str, Any]:
        return {"users": self.users, "built": self.built, "partial": self.partial, "stubs": self.stubs,
                "changed": self.changed, "skipped": {str(k): v for k, v in self.skipped.items()},
                "private_skipped": {str(k): v for k, v in self.private_skipped.items()},
                "partial_reasons": dict(self.partial_reasons), "absent_sources": self.absent_sources,
                "sources": self.sources, "as_of": self.as_of, "store": self.store, "seconds": self.seconds,
                "stage_seconds": self.stage_seconds, "exit_code": self.exit_code}


def _pseudonymizer(settings: Settings, platform: Path) -> Callable[[str, Any], str]:
    from ai_identity.privacy.pseudonym import PseudonymKey, Pseudonymizer

    key_id, secret = platform_secret(settings, platform)
    return Pseudonymizer([PseudonymKey.from_secret_text(key_id, secret.decode())], key_id).pseudonym


def stated_reliability(beh: dict[int, Any], stated: dict[int, Any], confident: float = 0.9) -> float:
    """How often a stated assistance level matches what behaviour shows, among users whose behaviour is clear.
    Bounded to [0.34, 0.95]; 0.7 when too few users are clear to tell."""
    agree = n = 0
    for uid, b in beh.items():
        post = b.extra.get("assistance_posterior")
        if not post or stated.get(uid) not in post:
            continue
        best = max(post, key=post.get)
        if post[best] >= confident:
            n += 1
            agree += stated[uid] == best
    return min(0.95, max(0.34, agree / n)) if n >= 20 else 0.7


def build(platform: Path, *, as_of: datetime | None = None, user_ids: list[int] | None = None,
          settings: Settings | None = None, store_path: Path | None = None,
          progress: Progress | None = None) -> BuildSummary:
    """Build (or rebuild) identities for the platform's users as of ``as_of``."""
    from ai_identity.features.locations import generalize_location, timezone_for
    from ai_identity.features.resume import parse_resume

    settings = settings or Settings()
    tick = progress or (lambda s, d, t: None)
    t0 = time.perf_counter()
    summary = BuildSummary()
    plat = EmbeddedPlatform(platform)
    as_of = (as_of or plat.reference_time() or datetime.now(UTC)).astimezone(UTC)
    summary.as_of = as_of.isoformat()
    all_ids = plat.user_ids(as_of)
    if user_ids is not None:
        known = set(all_ids)
        for uid in user_ids:
            if uid not in known:
                summary.skipped[uid] = "no such user (as of the cut-off)"
        ids = [u for u in user_ids if u in known]
    else:
        ids = all_ids
    summary.users = len(ids) + len(summary.skipped)
    stages: dict[str, float] = {}
    t = time.perf_counter()

    tz_inputs = plat.timezone_inputs()
    tz_by_user = {uid: tz for uid, (stz, loc) in tz_inputs.items() if (tz := timezone_of(stz, loc, timezone_for))}
    ev = read_events(plat.root, as_of, user_ids if user_ids is not None else None)
    plat.report.sources["events"] = ev.stats
    beh = behavior_stats(ev.frame, tz_by_user, as_of) if ev.stats.present else {}
    del ev
    reliability = stated_reliability(beh, plat.setting_values("ai_assistance_level"))
    stages["behavior"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()

    tax = load_taxonomy()
    levels = plat.privacy_levels()
    relational = {uid for uid, lvl in levels.items() if "relational" in LEVEL_TIERS.get(lvl, set())}
    plat.side.prepare(list(plat.con.execute("SELECT id, username, email FROM users")))
    graph_uid = {gid: plat.side.username_to_uid[n.username] for gid, n in plat.side.graph_users.items()
                 if n.username in plat.side.username_to_uid}
    skills_by_user: dict[int, set[str]] = {}
    for gid, rels in plat.side.has_skill.items():
        if gid in graph_uid:
            skills_by_user[graph_uid[gid]] = {e.id for rel, _ in rels if (e := tax.lookup(rel.skill))}
    edges = [(graph_uid[c.user], graph_uid[c.other], c.projects or 1, c.satisfaction or 0.0)
             for c in plat.side.collaborations if c.user in graph_uid and c.other in graph_uid]
    net = network_stats(edges, relational, skills_by_user)
    stages["network"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()

    ctx = Context(taxonomy=tax, as_of=as_of, built_at=datetime.now(UTC), skill_dict=plat.skill_dictionary(),
                  behavior=beh, network=net, graph_uid=graph_uid, pseudonym=_pseudonymizer(settings, plat.root),
                  parse=parse_resume, generalize=generalize_location, timezone_for=timezone_for,
                  sources_present=[s for s, st in plat.report.sources.items() if st.present],
                  assistance_reliability=reliability)
    store = IdentityStore(store_path or default_path(plat.root))
    summary.store = str(store.path)
    embedder = HashedNgramEmbedder()
    done = 0
    for batch in plat.iter_batches(ids, as_of, batch_size=settings.batch_size):
        items = []
        texts = []
        for rec in batch:
            if rec.user is None:
                summary.skipped[rec.user_id] = "users row rejected or absent"
                continue
            ident = assemble(rec, ctx, consent_of(rec))
            text = resume_text(rec)
            texts.append(text[0] if text and not ident.stub else "")
            b = beh.get(rec.user_id)
            vecs = {"skills": skills_vector([(s.skill_id, s.score, s.level) for s in ident.skills])}
            if b is not None and not ident.stub:
                vecs["behavior"] = behavior_vector(b.hourly, b.weekly, b.devices, b.target_mix, b.action_mix,
                                                   b.success_rate, b.sessions_per_week)
            items.append((ident, vecs))
            summary.built += 1
            summary.stubs += ident.stub
            if ident.partial:
                summary.partial += 1
                for src, why in ident.sources["missing"].items():
                    summary.partial_reasons[f"{src}: {why}"] += 1
        content = embedder.embed(texts) if texts else np.zeros((0, embedder.dim))
        for (ident, vecs), vec, text in zip(items, content, texts, strict=True):
            if text:
                vecs["content"] = vec
        summary.changed += store.put_batch(items)
        done += len(batch)
        tick("build", done, len(ids))
    stages["assemble"] = round(time.perf_counter() - t, 2)
    summary.private_skipped = {uid: reason for uid, reason in plat.report.skipped_users.items()}
    summary.sources = plat.report.as_dict()["sources"]
    summary.absent_sources = plat.report.absent()
    summary.seconds = round(time.perf_counter() - t0, 2)
    summary.stage_seconds = stages
    store.record_run(ctx.built_at.isoformat(), datetime.now(UTC).isoformat(), as_of.isoformat(), summary.as_dict())
    store.close()
    plat.close()
    if not ids and not summary.skipped:
        raise UsageError("--platform: the platform has no users as of the cut-off")
    return summary
