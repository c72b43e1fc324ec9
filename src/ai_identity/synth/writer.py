"""``ai-identity generate``: writes a synthetic platform in the embedded layout, plus its ground truth.

The relational tables go to ``platform.sqlite`` and one private database per user; the graph to node/edge CSV
files; documents, Redis keys and Weaviate objects to JSON-lines files; the truth to ``_truth/`` (which ``build``
never opens). See ``docs/embedded-layout.md``.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ai_identity.errors import UsageError
from ai_identity.sources.embedded import layout as L
from ai_identity.synth import rows as R
from ai_identity.synth.catalog import all_skill_ids
from ai_identity.synth.events import EventColumns, sample_events
from ai_identity.synth.noise import RATES, Injector
from ai_identity.synth.people import draw_users, user_rng
from ai_identity.synth.resume_text import RenderedResume, render_resume
from ai_identity.synth.truth import UserTruth

DEFAULT_AS_OF = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
Progress = Callable[[str, int, int], None]


@dataclass
class GenerationReport:
    users: int
    events: int
    sessions: int
    seconds: float
    stage_seconds: dict[str, float] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    injections: dict[str, dict[str, Any]] = field(default_factory=dict)


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    return con


def _insert(con: sqlite3.Connection, table: str, rows: list[tuple] | Any) -> None:
    model = next(m for m in L.PLATFORM_TABLES + L.PRIVATE_TABLES if m.__record__ == table)
    cols = L.columns(model)
    con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)


def generate(
    out: Path,
    n_users: int,
    seed: int,
    as_of: datetime = DEFAULT_AS_OF,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> GenerationReport:
    """Generate ``n_users`` users into ``out`` (which must not exist unless ``force``)."""
    if n_users < 1:
        raise UsageError("--users: expected a positive integer")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise UsageError(
                f"--out: expected an empty or new folder, {out.name!r} is not empty (use --force)"
            )
        shutil.rmtree(out)
    as_of = as_of.astimezone(UTC)
    now = as_of.date()
    t0 = time.perf_counter()
    stages: dict[str, float] = {}
    tick = progress or (lambda stage, done, total: None)

    def stage(name: str, start: float) -> float:
        stages[name] = round(time.perf_counter() - start, 2)
        return time.perf_counter()

    t = time.perf_counter()
    users = draw_users(n_users, seed, now)
    tick("truth", n_users, n_users)
    t = stage("truth", t)
    resumes: dict[int, RenderedResume] = {}
    for i, u in enumerate(users):
        resumes[u.person.user_id] = render_resume(u.person, user_rng(seed, u.person.user_id, "resume"))
        if i % 500 == 0:
            tick("resumes", i, n_users)
    tick("resumes", n_users, n_users)
    t = stage("resumes", t)
    ev = sample_events(users, seed, as_of)
    tick("events", len(ev.columns["user_id"]), len(ev.columns["user_id"]))
    t = stage("events", t)

    out.mkdir(parents=True, exist_ok=True)
    (out / L.USERS_DIR).mkdir()
    inj = Injector(seed)
    con = _connect(out / L.PLATFORM_DB)
    for model in L.PLATFORM_TABLES:
        con.execute(L.create_table_sql(model))
    skill_ids = _write_relational(con, users, resumes, inj, seed, now, as_of)
    t = stage("relational", t)
    n_analyses = con.execute("SELECT count(*) FROM ai_analyses").fetchone()[0]
    n_events = _write_events(con, out, users, ev, inj, seed, as_of)
    for sql in L.create_index_sql():
        con.execute(sql)
    con.commit()
    con.close()
    t = stage("events_write", t)
    _write_private(out, users, resumes, inj, seed, as_of, tick)
    t = stage("private_dbs", t)
    _write_graph(out, users, skill_ids, inj, seed, now)
    _write_documents(out, users, resumes, seed)
    _write_redis(out, users, ev, seed, as_of)
    _write_vectors(out, users, seed, as_of)
    t = stage("graph_docs_keys_vectors", t)

    eligible = _eligible(users, n_events)
    eligible["stale_ai_analysis"] = n_analyses
    shares = _shares(users, resumes)
    _write_truth(out, users, resumes, inj, eligible, shares, seed, as_of)
    meta = {
        "layout_version": L.LAYOUT_VERSION,
        "generator": "ai-identity generate",
        "seed": seed,
        "users": n_users,
        "as_of": L.iso(as_of),
        "created_at": L.iso(as_of),
        "vector_dims": R.DIMS,
        "sources": ["mysql", "sqlite", "postgres", "events", "redis", "graph", "mongodb", "weaviate"],
    }
    (out / L.META_FILE).write_text(json.dumps(meta, indent=2))
    stage("truth_files", t)
    return GenerationReport(
        n_users,
        n_events,
        len(ev.sessions["user_id"]),
        round(time.perf_counter() - t0, 2),
        stages,
        shares,
        inj.summary(eligible),
    )


def _write_relational(
    con: sqlite3.Connection,
    users: list[UserTruth],
    resumes: dict[int, RenderedResume],
    inj: Injector,
    seed: int,
    now: Any,
    as_of: datetime,
) -> dict[str, int]:
    ids = all_skill_ids()
    skill_ids = {sid: i + 1 for i, sid in enumerate(ids)}
    _insert(con, "skills", [(skill_ids[s], R.skill_name(s), R.skill_category(s)) for s in ids])
    emails: list[str] = []
    u_rows, p_rows, s_rows, r_rows, rs_rows, ra_rows, rd_rows, aa_rows, ap_rows, ue_rows = (
        [] for _ in range(10)
    )
    vec_rng = np.random.default_rng(seed + 99)
    aa_id = 0
    for u in users:
        uid, p = u.person.user_id, u.person
        rng = user_rng(seed, uid, "rows")
        updated = min(now, u.signup + timedelta(days=rng.choice((0, 7, 30, 90, 365, 700))))
        u_rows.append(R.user_row(u, inj, rng, emails, updated))
        emails.append(p.email)
        p_rows.extend(R.profile_rows(u, inj, rng, now, updated))
        s_rows.append(R.settings_row(u, R.stated_settings(u, rng), inj, rng))
        text = R.normalize_content(resumes[uid].text)
        rid = uid * 10 + 1
        content = (
            text if not inj.maybe("stale_resume_copy", f"resumes:{rid}") else text[: max(1, len(text) // 2)]
        )
        title = f"{p.jobs[-1].title} · 简历" if p.lang == "zh" else f"{p.jobs[-1].title} - Resume"
        created = u.signup + timedelta(days=rng.randint(0, 30))
        r_rows.append(
            (
                rid,
                uid,
                title,
                content,
                rng.choice(("upload", "template", "ai_generated", "manual")),
                rng.randint(1, 40),
                "published",
                int(rng.random() < 0.4),
                rng.randint(0, 500),
                rng.randint(0, 50),
                rng.randint(0, 20),
                R.ts(created, rng),
                R.ts(as_of - timedelta(days=rng.randint(1, 200))),
            )
        )
        rs_rows.extend(R.resume_skill_rows(u, rid, skill_ids, rng))
        found = [R.skill_name(s.skill_id) for s in p.skills if rng.random() < 0.75]
        if rng.random() < 0.3:
            found.append(R.skill_name(rng.choice(ids)))
        ra_rows.append(
            (
                rid,
                "skill_extraction",
                json.dumps(
                    {
                        "skills": found,
                        "seniority": R.noisy_level(
                            {
                                "junior": "beginner",
                                "mid": "intermediate",
                                "senior": "advanced",
                                "lead": "expert",
                            }[p.seniority],
                            rng,
                            0.3,
                        ),
                    }
                ),
                round(rng.uniform(0.5, 0.9), 2),
                rng.choice(("zervigo-ai-1.3", "zervigo-ai-2.0")),
                R.ts(created, rng),
            )
        )
        basis = R.skills_basis(u, ids, R.DIMS["skills"])
        rd_rows.append(
            (
                rid,
                uid,
                L.encode_vector(R.vector(vec_rng, R.DIMS["content"])),
                L.encode_vector(R.vector(vec_rng, R.DIMS["skills"], basis)),
                L.encode_vector(R.vector(vec_rng, R.DIMS["experience"])),
                json.dumps({"summary_quality": round(rng.uniform(0.4, 0.95), 2)}),
                json.dumps(found[:6]),
                round(rng.uniform(0.5, 0.9), 2),
            )
        )
        for kind in rng.sample(("personality", "career_stage", "skill_gap"), k=rng.randint(1, 3)):
            aa_id += 1
            age = (
                rng.randint(400, 900)
                if inj.maybe("stale_ai_analysis", f"ai_analyses:{aa_id}")
                else rng.randint(1, 300)
            )
            result = {
                "personality": {"traits": rng.sample(p.summary_traits, k=min(2, len(p.summary_traits)))},
                "career_stage": {"stage": p.seniority if rng.random() < 0.7 else "mid"},
                "skill_gap": {"missing": u.learning},
            }[kind]
            aa_rows.append(
                (
                    aa_id,
                    uid,
                    kind,
                    json.dumps(result),
                    round(rng.uniform(0.4, 0.85), 2),
                    rng.choice(("gpt-3.5-2023", "zervigo-ai-1.3")),
                    R.ts(as_of - timedelta(days=age)),
                )
            )
        ap_rows.append(
            (
                uid,
                json.dumps({t: round(rng.uniform(0.5, 1.0), 2) for t in p.summary_traits}),
                json.dumps(
                    {
                        R.skill_name(s.skill_id): R.noisy_level(s.level, rng, 0.35)
                        for s in p.skills
                        if rng.random() < 0.6
                    }
                ),
                json.dumps([p.jobs[-1].title]),
                json.dumps([R.skill_name(s) for s in u.learning]),
                R.ts(as_of - timedelta(days=rng.randint(1, 400))),
            )
        )
        bvec = R.vector(vec_rng, R.DIMS["behavior"])
        if inj.maybe("vector_wrong_dimension", f"user_embeddings:{uid}"):
            bvec = bvec[:-3]
        age = (
            rng.randint(181, 600)
            if inj.maybe("stale_embedding", f"user_embeddings:{uid}")
            else rng.randint(0, 170)
        )
        ue_rows.append(
            (
                uid,
                L.encode_vector(R.vector(vec_rng, R.DIMS["content"])),
                L.encode_vector(R.vector(vec_rng, R.DIMS["skills"], basis)),
                L.encode_vector(bvec),
                R.ts(as_of - timedelta(days=age)),
            )
        )
    for table, rows in (
        ("users", u_rows),
        ("user_profiles", p_rows),
        ("user_settings", s_rows),
        ("resumes", r_rows),
        ("resume_skills", rs_rows),
        ("resume_analyses", ra_rows),
        ("resume_data", rd_rows),
        ("ai_analyses", aa_rows),
        ("user_ai_profiles", ap_rows),
        ("user_embeddings", ue_rows),
    ):
        _insert(con, table, rows)
    return skill_ids


def _write_events(
    con: sqlite3.Connection,
    out: Path,
    users: list[UserTruth],
    ev: EventColumns,
    inj: Injector,
    seed: int,
    as_of: datetime,
) -> int:
    c = {k: v.copy() for k, v in ev.columns.items()}
    n = len(c["user_id"])
    rng = random.Random(seed + 5)
    signup_us = {
        u.person.user_id: int(datetime.combine(u.signup, datetime.min.time(), UTC).timestamp() * 1e6)
        for u in users
    }
    now_us = int(as_of.timestamp() * 1e6)
    nrng = np.random.default_rng(seed + 5)
    hit = np.zeros(n, dtype=bool)

    def pick(cls: str) -> np.ndarray:
        idx = np.flatnonzero((nrng.random(n) < RATES[cls][0]) & ~hit)
        hit[idx] = True
        for i in idx:
            inj.record(cls, f"user_behavior_analysis:{c['event_id'][i]}")
        return idx

    for i in pick("malformed_action_type"):
        c["action_type"][i] = rng.choice(("VIEW", "veiw", "click", ""))
    c["action_details"][pick("malformed_action_details")] = '{"error": "timeout"'
    idx = pick("negative_duration")
    c["duration"][idx] = -nrng.integers(1, 300, len(idx))
    idx = pick("future_event")
    c["ts_us"][idx] = now_us + nrng.integers(3600, 86400 * 30, len(idx)) * 1_000_000
    for i in pick("event_before_signup"):
        c["ts_us"][i] = signup_us[int(c["user_id"][i])] - rng.randint(1, 86400 * 60) * 1_000_000
    dup_idx = pick("duplicate_event")
    stamps = np.datetime_as_string(c["ts_us"].astype("datetime64[us]"), unit="us").astype(object) + "Z"
    target = c["action_target_id"].astype(object)
    target[c["action_target_id"] < 0] = None
    cols = [
        c["user_id"].tolist(),
        c["session_id"].tolist(),
        c["action_type"].tolist(),
        c["action_target"].tolist(),
        target.tolist(),
        c["action_details"].tolist(),
        c["user_agent"].tolist(),
        c["ip_address"].tolist(),
        c["duration"].tolist(),
        c["success"].astype(int).tolist(),
        stamps.tolist(),
        c["event_id"].tolist(),
    ]
    rows = list(zip(*cols, strict=True))
    dups = [rows[i] for i in dup_idx]
    _insert(con, "user_behavior_analysis", rows + dups)
    s = ev.sessions
    login = np.datetime_as_string(s["login_us"].astype("datetime64[us]"), unit="us").astype(object) + "Z"
    logout = np.datetime_as_string(s["logout_us"].astype("datetime64[us]"), unit="us").astype(object) + "Z"
    dur = ((s["logout_us"] - s["login_us"]) // 1_000_000).tolist()
    _insert(
        con,
        "user_sessions",
        list(
            zip(
                s["user_id"].tolist(),
                s["session_id"].tolist(),
                s["ip_address"].tolist(),
                s["user_agent"].tolist(),
                login.tolist(),
                logout.tolist(),
                dur,
                s["activity_count"].tolist(),
                strict=True,
            )
        ),
    )
    return n + len(dups)


def _eligible(users: list[UserTruth], n_events: int) -> dict[str, int]:
    n = len(users)
    return {
        "missing_profile_field": n,
        "missing_timezone": n,
        "malformed_timezone": n,
        "malformed_email": n,
        "malformed_phone": n,
        "shared_email": n,
        "duplicate_profile": n,
        "inconsistent_experience": n,
        "stale_resume_copy": n,
        "parsed_end_before_start": n,
        "duplicate_event": n_events,
        "malformed_action_type": n_events,
        "malformed_action_details": n_events,
        "negative_duration": n_events,
        "future_event": n_events,
        "event_before_signup": n_events,
        "vector_wrong_dimension": n,
        "stale_embedding": n,
        "stale_ai_analysis": n,
        "stale_graph_username": n,
    }


from ai_identity.synth.writer_parts import (  # noqa: E402  (second half of the writer, split for size)
    _shares,
    _write_documents,
    _write_graph,
    _write_private,
    _write_redis,
    _write_truth,
    _write_vectors,
)

__all__ = ["DEFAULT_AS_OF", "GenerationReport", "generate"]
