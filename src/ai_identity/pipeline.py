"""``build``: collect -> preprocess -> analyse -> assemble -> store, for every user of an embedded platform.

Behaviour and the collaboration network are computed once for all users (columnar / graph-wide); everything
else runs a batch of users at a time. The ground-truth folder (``_truth/``) is never opened.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ai_identity.analyse.assemble import Context, assemble, resume_text, timezone_of
from ai_identity.analyse.behavior import COLUMNS as BEHAVIOR_COLUMNS
from ai_identity.analyse.behavior import behavior_stats
from ai_identity.analyse.network import network_stats
from ai_identity.analyse.vectors import HashedNgramEmbedder, behavior_vector, interests_vector, skills_vector
from ai_identity.collect import LEVEL_TIERS, consent_of
from ai_identity.errors import UsageError
from ai_identity.features.taxonomy import load_taxonomy
from ai_identity.privacy.consent import open_readonly as open_consents
from ai_identity.privacy.tiers import reading_for
from ai_identity.settings import Settings, platform_secret
from ai_identity.sources.base import ReadReport
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.events import read_event_chunks, refresh_cache
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
    incremental: dict[str, Any] | None = None  # --changed-since: the moment and what changed, per source
    partial_reasons: Counter[str] = field(default_factory=Counter)
    sources: dict[str, Any] = field(default_factory=dict)
    absent_sources: list[str] = field(default_factory=list)
    as_of: str = ""
    store: str = ""
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0: every user processed; 3: a user, a user's private data or a whole source was skipped (absent, or
        down during the build)."""
        down = any(s.get("down") for s in self.sources.values())
        return 3 if self.skipped or self.absent_sources or self.private_skipped or down else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "users": self.users,
            "built": self.built,
            "partial": self.partial,
            "stubs": self.stubs,
            "changed": self.changed,
            "skipped": {str(k): v for k, v in self.skipped.items()},
            "private_skipped": {str(k): v for k, v in self.private_skipped.items()},
            "incremental": self.incremental,
            "partial_reasons": dict(self.partial_reasons),
            "absent_sources": self.absent_sources,
            "sources": self.sources,
            "as_of": self.as_of,
            "store": self.store,
            "seconds": self.seconds,
            "stage_seconds": self.stage_seconds,
            "exit_code": self.exit_code,
        }


def _pseudonymizer(settings: Settings, platform: Path) -> Callable[[str, Any], str]:
    from ai_identity.privacy.pseudonym import Pseudonymizer, PseudonymKey

    key_id, secret = platform_secret(settings, platform)
    return Pseudonymizer([PseudonymKey.from_secret_text(key_id, secret.decode())], key_id).pseudonym


@dataclass
class WorkerState:
    """What a build worker needs besides the user ids of its batch (pickled once per worker)."""

    platform: Path
    as_of: datetime
    built_at: datetime
    behavior: Any  # BehaviorTable
    network: dict[int, Any]
    graph_uid: dict[str, int]
    reliability: float
    sources_present: list[str]
    settings: Settings
    store_path: Path
    findings: Any = None  # the platform's data-quality findings per user (ai_identity.quality)
    stores: Any = None  # ai_identity.config.StoresConfig when building from servers


@dataclass
class BatchResult:
    rows: list[tuple[Any, ...]]
    vectors: list[tuple[int, str, np.ndarray]]
    users: int = 0
    built: int = 0
    stubs: int = 0
    partial: int = 0
    partial_reasons: Counter[str] = field(default_factory=Counter)
    skipped: dict[int, str] = field(default_factory=dict)
    report: Any = None


_WORKER: dict[str, Any] = {}


# What no analyser uses is not read (data minimisation): sessions (behaviour comes from the events), the
# platform's earlier vectors (identities carry their own) and the Redis caches.
BUILD_SKIP = frozenset({"user_sessions", "resume_data", "user_embeddings", "weaviate", "redis"})


def open_platform(platform: Path, stores: Any = None) -> EmbeddedPlatform:
    """The embedded folder, or the configured servers (plus the folder they name) when ``stores`` is given."""
    if stores is not None:
        from ai_identity.sources.servers import ServerPlatform

        return ServerPlatform(stores, skip=BUILD_SKIP)
    return EmbeddedPlatform(platform, skip=BUILD_SKIP)


def _init_worker(state: WorkerState) -> None:
    """Open the platform, the store (read-only use) and the models once per worker process."""
    from ai_identity.features.locations import generalize_location, timezone_for
    from ai_identity.features.resume import parse_resume

    plat = open_platform(state.platform, state.stores)
    plat.side.prepare(plat.user_keys())
    plat.report = ReadReport()
    plat.side.report = plat.report
    ctx = Context(
        taxonomy=load_taxonomy(),
        as_of=state.as_of,
        built_at=state.built_at,
        skill_dict=plat.skill_dictionary(),
        behavior=state.behavior,
        network=state.network,
        graph_uid=state.graph_uid,
        pseudonym=_pseudonymizer(state.settings, state.platform),
        parse=parse_resume,
        generalize=generalize_location,
        timezone_for=timezone_for,
        sources_present=state.sources_present,
        assistance_reliability=state.reliability,
        findings=state.findings,
    )
    _WORKER.update(plat=plat, ctx=ctx, store=IdentityStore(state.store_path), embedder=HashedNgramEmbedder())
    _WORKER["consents"] = open_consents(state.platform)  # consent records override the platform's settings


def _work(batch: list[int]) -> BatchResult:
    """Assemble one batch of users (runs in a worker process, or in-process for a single worker)."""
    plat, ctx, store, embedder = _WORKER["plat"], _WORKER["ctx"], _WORKER["store"], _WORKER["embedder"]
    plat.report = ReadReport()
    plat.side.report = plat.report
    res = BatchResult(rows=[], vectors=[], users=len(batch))
    idents, texts, vecs_of = [], [], []
    for rec in plat.read_batch(batch, ctx.as_of):
        if rec.user is None:
            res.skipped[rec.user_id] = rec.down.get("mysql", "users row rejected or absent")
            continue
        ident = assemble(rec, ctx, consent_of(rec, _WORKER.get("consents")))
        resume = resume_text(rec)
        texts.append(resume[0] if resume and not ident.stub else "")
        b = ctx.behavior.get(rec.user_id)
        vecs = {"skills": skills_vector([(s.skill_id, s.score, s.level) for s in ident.skills])}
        if b is not None and not ident.stub:
            vecs["behavior"] = behavior_vector(
                b.hourly, b.weekly, b.devices, b.target_mix, b.action_mix, b.success_rate, b.sessions_per_week
            )
            if b.interests:
                vecs["interests"] = interests_vector(b.interests)
        idents.append(ident)
        vecs_of.append(vecs)
        res.built += 1
        res.stubs += ident.stub
        if ident.partial:
            res.partial += 1
            for src, why in ident.sources["missing"].items():
                res.partial_reasons[f"{src}: {why}"] += 1
    content = embedder.embed(texts) if texts else np.zeros((0, embedder.dim))
    for ident, vecs, vec, text in zip(idents, vecs_of, content, texts, strict=True):
        if text:
            vecs["content"] = vec
        uid = ident.user["platform_id"]
        res.rows.append(store.prepare_row(ident))
        res.vectors.extend((uid, kind, v) for kind, v in vecs.items())
    res.report = plat.report
    return res


def _run_batches(state: WorkerState, batches: list[list[int]], workers: int) -> Any:
    if workers <= 1:
        _init_worker(state)
        try:
            yield from map(_work, batches)
        finally:
            _WORKER["store"].close()
            _WORKER.clear()
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        workers, mp_context=mp.get_context("spawn"), initializer=_init_worker, initargs=(state,)
    ) as pool:
        yield from pool.map(_work, batches)


def _quality_findings(root: Path, as_of: datetime) -> Any:
    """The platform's data-quality findings per user (one columnar pass; ``ai_identity.quality``)."""
    from ai_identity.quality import evaluate as quality_evaluate
    from ai_identity.quality import load_config, user_findings

    with reading_for("quality"):  # platform-wide format checks: not consent-scoped (docs/consent.md)
        return user_findings(quality_evaluate(root, load_config(None), as_of=as_of))


def stated_reliability(beh: Any, stated: dict[int, Any], confident: float = 0.9) -> float:
    """How often a stated assistance level matches what behaviour shows, among users whose behaviour is clear.
    Bounded to [0.34, 0.95]; 0.7 when too few users are clear to tell."""
    agree = n = 0
    posteriors = beh.assistance_posteriors() if hasattr(beh, "assistance_posteriors") else {}
    for uid, post in posteriors.items():
        if stated.get(uid) not in post:
            continue
        best = max(post, key=post.get)
        if post[best] >= confident:
            n += 1
            agree += stated[uid] == best
    return min(0.95, max(0.34, agree / n)) if n >= 20 else 0.7


def build(
    platform: Path,
    *,
    as_of: datetime | None = None,
    user_ids: list[int] | None = None,
    settings: Settings | None = None,
    store_path: Path | None = None,
    progress: Progress | None = None,
    stores: Any = None,
    changed_since: datetime | str | None = None,
) -> BuildSummary:
    """Build (or rebuild) identities for the platform's users as of ``as_of``. With ``stores`` (a loaded
    ``ai_identity.config.StoresConfig``) the relational records and Redis keys come from the configured servers and
    the rest from the embedded folder the config names; ``platform`` is then ignored."""
    from ai_identity.features.locations import timezone_for

    settings = settings or Settings()
    tick = progress or (lambda s, d, t: None)
    t0 = time.perf_counter()
    summary = BuildSummary()
    plat = open_platform(platform, stores)
    as_of = (as_of or plat.reference_time() or datetime.now(UTC)).astimezone(UTC)
    summary.as_of = as_of.isoformat()
    all_ids = plat.user_ids(as_of)
    if changed_since is not None:
        from ai_identity.incremental import changed_since as find_changes
        from ai_identity.incremental import last_build_start

        since = (
            last_build_start(store_path or default_path(plat.root))
            if changed_since == "last"
            else changed_since
        )
        changes = find_changes(plat.root, since, as_of)  # type: ignore[arg-type]
        summary.incremental = {
            "since": changes.since.isoformat(),
            "by_source": changes.why,
            "everyone": changes.everyone,
        }
        if changes.everyone is None:
            wanted = changes.users if user_ids is None else changes.users & set(user_ids)
            user_ids = sorted(u for u in wanted if u in set(all_ids))
            if not user_ids:  # nothing changed: nothing to read or write
                plat.close()
                summary.seconds = round(time.perf_counter() - t0, 2)
                return summary
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
    # the data-quality pass reads the platform on its own: with more than one worker it runs in a process of
    # its own while behaviour and the network are computed here (the event copy is refreshed first, once)
    quality_pool, quality_future = None, None
    if settings.quality_in_build and (settings.workers or os.cpu_count() or 1) > 1 and len(ids) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        if (plat.root / L.PLATFORM_DB).exists():
            refresh_cache(plat.root)
        quality_pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"))
        quality_future = quality_pool.submit(_quality_findings, plat.root, as_of)

    tz_inputs = plat.timezone_inputs()
    tz_by_user = {
        uid: tz for uid, (stz, loc) in tz_inputs.items() if (tz := timezone_of(stz, loc, timezone_for))
    }
    # every user's events, also when building a few: the platform-wide rhythm and assistance models are fit on
    # all users, so a user's identity is the same whether built alone or with everyone
    # read in bounded chunks of whole users, reduced to per-user arrays as they come
    with reading_for("events"):  # basic; its columnar cache copies the whole table (docs/consent.md)
        ev = read_event_chunks(plat.root, as_of, columns=BEHAVIOR_COLUMNS)
        beh = behavior_stats(ev, tz_by_user, as_of) if ev.stats.present else {}
    plat.report.sources["events"] = ev.stats
    reliability = stated_reliability(beh, plat.setting_values("ai_assistance_level"))
    stages["behavior"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()

    tax = load_taxonomy()
    levels = plat.privacy_levels()
    relational = {uid for uid, lvl in levels.items() if "relational" in LEVEL_TIERS.get(lvl, set())}
    if (consents := open_consents(plat.root)) is not None:
        relational = consents.relational_users(relational)
    plat.side.prepare(plat.user_keys())
    graph_uid = {
        gid: plat.side.username_to_uid[n.username]
        for gid, n in plat.side.graph_users.items()
        if n.username in plat.side.username_to_uid
    }
    skills_by_user: dict[int, set[str]] = {}
    for gid, rels in plat.side.has_skill.items():
        if gid in graph_uid:
            skills_by_user[graph_uid[gid]] = {e.id for rel, _ in rels if (e := tax.lookup(rel.skill))}
    edges = [
        (graph_uid[c.user], graph_uid[c.other], c.projects or 1, c.satisfaction or 0.0)
        for c in plat.side.collaborations_among(relational)  # asked only for consenting users
        if c.user in graph_uid and c.other in graph_uid
    ]
    net = network_stats(edges, relational, skills_by_user)
    stages["network"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    findings = None
    if quality_future is not None and quality_pool is not None:  # waited for: the part not overlapped
        findings = quality_future.result()
        quality_pool.shutdown()
        stages["quality"] = round(time.perf_counter() - t, 2)
    elif (
        settings.quality_in_build
    ):  # one columnar quality pass; each identity's quality gets its user's findings
        findings = _quality_findings(plat.root, as_of)
        stages["quality"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()

    state = WorkerState(
        platform=plat.root,
        as_of=as_of,
        built_at=datetime.now(UTC),
        behavior=beh,
        network=net,
        graph_uid=graph_uid,
        reliability=reliability,
        sources_present=[s for s, st in plat.report.sources.items() if st.present],
        settings=settings,
        store_path=store_path or default_path(plat.root),
        findings=findings,
        stores=stores,
    )
    store = IdentityStore(state.store_path)
    summary.store = str(store.path)
    batches = [ids[i : i + settings.batch_size] for i in range(0, len(ids), settings.batch_size)]
    workers = max(1, min(settings.workers or os.cpu_count() or 1, len(batches)))
    done = 0
    for result in _run_batches(state, batches, workers):
        summary.changed += store.put_rows(result.rows, result.vectors)
        summary.built += result.built
        summary.stubs += result.stubs
        summary.partial += result.partial
        summary.partial_reasons.update(result.partial_reasons)
        summary.skipped.update(result.skipped)
        plat.report.merge(result.report)
        done += result.users
        tick("build", done, len(ids))
    stages["assemble"] = round(time.perf_counter() - t, 2)
    summary.private_skipped = {uid: reason for uid, reason in plat.report.skipped_users.items()}
    summary.sources = plat.report.as_dict()["sources"]
    # a source the build does not read (data minimisation) being absent skips nothing
    summary.absent_sources = [s for s in plat.report.absent() if s not in BUILD_SKIP]
    summary.seconds = round(time.perf_counter() - t0, 2)
    summary.stage_seconds = stages
    store.record_run(
        state.built_at.isoformat(), datetime.now(UTC).isoformat(), as_of.isoformat(), summary.as_dict()
    )
    store.close()
    plat.close()
    if not ids and not summary.skipped:
        raise UsageError("--platform: the platform has no users as of the cut-off")
    return summary
