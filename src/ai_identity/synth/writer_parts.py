"""The non-relational half of the generator's writer: private databases, graph files, documents, Redis keys,
Weaviate objects and the ground truth."""

from __future__ import annotations

import csv
import gzip
import json
import random
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ai_identity.sources.embedded import layout as L
from ai_identity.synth import rows as R
from ai_identity.synth.catalog import ROLE_BY_KEY, all_skill_ids
from ai_identity.synth.events import EventColumns
from ai_identity.synth.noise import Injector
from ai_identity.synth.people import user_rng
from ai_identity.synth.resume_text import RenderedResume
from ai_identity.synth.truth import UserTruth

TOPICS = {
    "lang": "software engineering",
    "fw": "application development",
    "data": "data engineering and analytics",
    "ml": "machine learning",
    "ops": "cloud infrastructure",
    "tool": "productivity tools",
    "design": "product design",
    "biz": "business operations",
    "soft": "professional skills",
}


def _write_private(
    out: Path,
    users: list[UserTruth],
    resumes: dict[int, RenderedResume],
    inj: Injector,
    seed: int,
    as_of: datetime,
    tick: Any,
) -> None:
    ddl = ";".join(L.create_table_sql(m) for m in L.PRIVATE_TABLES)
    for i, u in enumerate(users):
        uid = u.person.user_id
        rng = user_rng(seed, uid, "private")
        con = sqlite3.connect(L.user_db_path(out, uid), isolation_level=None)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.executescript(ddl)
        con.execute("BEGIN")
        raw = resumes[uid].text
        content = R.normalize_content(raw)
        rid = uid * 10 + 1
        created = R.ts(u.signup + timedelta(days=rng.randint(0, 30)), rng)
        con.execute(
            "INSERT INTO resume_content VALUES (?,?,?,?,?,?,?)",
            (
                rid,
                u.person.jobs[-1].title,
                content,
                raw,
                R.content_hash(content),
                created,
                R.ts(as_of - timedelta(days=rng.randint(1, 200))),
            ),
        )
        pr = R.parsed_resume(u, rng, inj, rid)
        con.execute(
            "INSERT INTO parsed_resume_data VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                rid,
                *(
                    json.dumps(pr[k], ensure_ascii=False)
                    for k in (
                        "personal_info",
                        "work_experience",
                        "education",
                        "skills",
                        "projects",
                        "certifications",
                        "keywords",
                    )
                ),
                pr["confidence"],
                pr["parsing_version"],
            ),
        )
        c = u.consent
        con.execute(
            "INSERT INTO user_privacy_settings VALUES (?,?,?,?)",
            (rid, c.data_sharing_level, int(c.ai_analysis_consent), int(c.third_party_access)),
        )
        con.execute("COMMIT")
        con.close()
        if i % 500 == 0:
            tick("private databases", i, len(users))
    tick("private databases", len(users), len(users))


def _duration_text(start: Any, end: Any, lang: str) -> str:
    months = max(1, (end.year - start.year) * 12 + end.month - start.month)
    if months >= 12:
        return f"{months // 12}年" if lang == "zh" else f"{months // 12} years"
    return f"{months}个月" if lang == "zh" else f"{months} months"


def _write_graph(
    out: Path, users: list[UserTruth], skill_ids: dict[str, int], inj: Injector, seed: int, now: Any
) -> None:
    gdir = out / L.GRAPH_DIR
    gdir.mkdir()
    rng = random.Random(seed + 31)
    skills: dict[str, str] = {}
    companies: dict[str, str] = {}
    u_rows, hs_rows, wa_rows, cw_rows = [], [], [], []
    in_graph = [u for u in users if rng.random() < 0.95]
    for u in in_graph:
        p = u.person
        username = R.username(u)
        if inj.maybe("stale_graph_username", f"graph:User:{u.graph_id}"):
            username = f"old_{username.split('_')[0]}"
        city = p.city
        u_rows.append((u.graph_id, username, p.industry, city))
        for s in p.skills:
            if rng.random() < 0.7:
                name = R.skill_name(s.skill_id)
                aliases = R.SURFACES[s.skill_id].aliases.get("en", ())
                if aliases and rng.random() < 0.2:
                    name = rng.choice(aliases)
                skills.setdefault(name, R.skill_category(s.skill_id))
                hs_rows.append(
                    (
                        u.graph_id,
                        name,
                        R.noisy_level(s.level, rng, 0.25),
                        float(max(1, s.years + rng.choice((-1, 0, 0, 1)))),
                    )
                )
        for j in p.jobs:
            if rng.random() < 0.85:
                companies.setdefault(j.company, j.industry)
                wa_rows.append(
                    (u.graph_id, j.company, _duration_text(j.start, j.end or now, p.lang), j.title)
                )
    by_comm: dict[int, list[UserTruth]] = {}
    for u in in_graph:
        by_comm.setdefault(u.community, []).append(u)
    seen: set[tuple[str, str]] = set()
    for u in in_graph:
        for _ in range(rng.randint(2, 8)):
            pool = by_comm[u.community] if rng.random() < 0.88 else in_graph
            v = rng.choice(pool)
            pair = tuple(sorted((u.graph_id, v.graph_id)))
            if v is u or pair in seen:
                continue
            seen.add(pair)  # type: ignore[arg-type]
            cw_rows.append((u.graph_id, v.graph_id, rng.randint(1, 6), round(rng.uniform(2.5, 5.0), 1)))
    files = {
        "User": (("id", "username", "industry", "location"), u_rows),
        "Skill": (("name", "category"), sorted(skills.items())),
        "Company": (("name", "industry"), sorted(companies.items())),
        "HAS_SKILL": (("from", "to", "proficiency", "years"), hs_rows),
        "WORKED_AT": (("from", "to", "duration", "position"), wa_rows),
        "COLLABORATED_WITH": (("from", "to", "projects", "satisfaction"), cw_rows),
    }
    for label, (header, rows) in files.items():
        with open(gdir / L.GRAPH_FILES[label], "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(rows)
    del skill_ids


def _write_documents(
    out: Path, users: list[UserTruth], resumes: dict[int, RenderedResume], seed: int
) -> None:
    path = out / L.DOCUMENTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 41)
    with open(path, "w", encoding="utf-8") as f:
        for u in users:
            if rng.random() >= 0.85:
                continue
            p = u.person
            key = u.document_key if rng.random() < 0.95 else u.document_key.upper()
            docs = [
                {
                    "type": "resume",
                    "content": resumes[p.user_id].text,
                    "metadata": {"language": p.lang, "source": "upload"},
                    "collaboration_history": [],
                }
            ]
            for pr in p.projects:
                names = ", ".join(R.skill_name(s, p.lang) for s in pr.skills)
                text = (
                    f"{pr.name}：项目使用 {names}。" if p.lang == "zh" else f"{pr.name}: built with {names}."
                )
                docs.append(
                    {
                        "type": "project_note",
                        "content": text,
                        "metadata": {"year": pr.year},
                        "collaboration_history": [{"with": rng.randint(1, len(users)), "role": "reviewer"}]
                        if rng.random() < 0.3
                        else [],
                    }
                )
            top = sorted(
                p.skills,
                key=lambda s: (
                    -["beginner", "intermediate", "advanced", "expert"].index(s.level),
                    s.skill_id,
                ),
            )[:4]
            kb = {
                "topics": sorted({TOPICS.get(R.skill_category(s.skill_id), "general") for s in p.skills})[:5],
                "expertise_areas": [R.skill_name(s.skill_id) for s in top],
                "learning_progress": {R.skill_name(s): round(rng.uniform(0.1, 0.7), 2) for s in u.learning},
            }
            f.write(
                json.dumps(
                    {"_id": f"doc{p.user_id:07d}", "user_id": key, "documents": docs, "knowledge_base": kb},
                    ensure_ascii=False,
                )
                + "\n"
            )


def _write_redis(out: Path, users: list[UserTruth], ev: EventColumns, seed: int, as_of: datetime) -> None:
    path = out / L.REDIS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    now_us = int(as_of.timestamp() * 1e6)
    c = ev.columns
    recent = np.flatnonzero(c["ts_us"] >= now_us - 86400 * 1_000_000)
    week = c["ts_us"] >= now_us - 7 * 86400 * 1_000_000
    with open(path, "w", encoding="utf-8") as f:

        def put(key: str, value: Any, ttl: int | None) -> None:
            f.write(json.dumps({"key": key, "value": value, "ttl": ttl}, ensure_ascii=False) + "\n")

        for i in recent:
            ttl = 86400 - int((now_us - c["ts_us"][i]) // 1_000_000)
            event = {
                k: (c[k][i].item() if hasattr(c[k][i], "item") else c[k][i])
                for k in (
                    "user_id",
                    "session_id",
                    "action_type",
                    "action_target",
                    "action_details",
                    "user_agent",
                    "ip_address",
                    "duration",
                    "success",
                    "event_id",
                )
            }
            event["timestamp"] = datetime.fromtimestamp(c["ts_us"][i] / 1e6, UTC).strftime(
                "%Y-%m-%dT%H:%M:%S.%fZ"
            )
            put(f"behavior:{c['user_id'][i]}:{c['ts_us'][i]}", event, max(1, ttl))
        s = ev.sessions
        for i in np.flatnonzero(s["login_us"] >= now_us - 86400 * 1_000_000):
            put(
                f"session:{s['session_id'][i]}",
                {
                    "user_id": str(s["user_id"][i]),
                    "actions": [],
                    "duration": int((s["logout_us"][i] - s["login_us"][i]) // 1e6),
                    "pages_visited": [],
                },
                max(1, 86400 - int((now_us - s["login_us"][i]) // 1_000_000)),
            )
        # one stable sort groups each user's week of events (in event order), instead of a full scan per user
        order = np.flatnonzero(week)
        order = order[np.argsort(c["user_id"][order], kind="stable")]
        uids, first = np.unique(c["user_id"][order], return_index=True)
        is_ai = c["action_target"] == "ai_assistant"
        by_user = {u.person.user_id: u for u in users}
        for uid, mine in zip(uids.tolist(), np.split(order, first[1:]), strict=True):
            idx = mine[-10:]
            actions = [
                {"action_type": c["action_type"][i], "action_target": c["action_target"][i]} for i in idx
            ]
            put(
                f"user:behavior:{uid}",
                {
                    "recent_actions": actions,
                    "session_data": {"last_session": c["session_id"][idx[-1]]},
                    "preferences": {"language": by_user[uid].preferences.language},
                },
                7 * 86400 - int((now_us - int(c["ts_us"][idx[-1]])) // 1_000_000),
            )
            ai = [json.loads(c["action_details"][i]) for i in mine[is_ai[mine]]]
            if ai:
                put(
                    f"ai_cache:{uid}",
                    {
                        "analysis_results": {},
                        "recommendations": [],
                        "interaction_history": [
                            {"tone": a.get("tone"), "rating": a.get("rating")} for a in ai[-10:]
                        ],
                    },
                    86400,
                )
    del seed


def _write_vectors(out: Path, users: list[UserTruth], seed: int, as_of: datetime) -> None:
    path = out / L.VECTORS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 51)
    vrng = np.random.default_rng(seed + 52)
    ids = all_skill_ids()
    with open(path, "w", encoding="utf-8") as f:
        for u in users:
            if rng.random() >= 0.9:
                continue
            basis = R.skills_basis(u, ids, R.DIMS["skills"])
            props = {
                "user_id": u.vector_key,
                "content_vector": np.round(R.vector(vrng, R.DIMS["content"]), 4).tolist(),
                "skills_vector": np.round(R.vector(vrng, R.DIMS["skills"], basis), 4).tolist(),
                "behavior_vector": np.round(R.vector(vrng, R.DIMS["behavior"]), 4).tolist(),
                "metadata": {
                    "industry": u.person.industry,
                    "experience_level": u.person.seniority,
                    "update_time": R.ts(as_of - timedelta(days=rng.randint(0, 60))),
                },
            }
            f.write(
                json.dumps({"class": "UserVector", "id": f"{u.vector_key}-obj", "properties": props}) + "\n"
            )


def _shares(users: list[UserTruth], resumes: dict[int, RenderedResume]) -> dict[str, float]:
    layouts = Counter(r.layout for r in resumes.values())
    mentions = [m for r in resumes.values() for m in r.mentions]
    try:
        from ai_identity.features.taxonomy import load_taxonomy

        tax = load_taxonomy()
        absent = sum(1 for m in mentions if tax.lookup(m.surface) is None)
    except ImportError:  # the taxonomy ships with the package; this guards a partial install only
        absent = sum(1 for m in mentions if m.kind in ("typo", "abbreviation", "rare_alias", "implied"))
    contradicted = sum(1 for u in users if u.stated_contradictions)
    return {
        "max_layout_share": round(max(layouts.values()) / len(resumes), 4),
        "distinct_layouts": len(layouts),
        "skill_mentions": len(mentions),
        "mentions_absent_from_alias_table": round(absent / max(1, len(mentions)), 4),
        "users_whose_settings_contradict_behaviour": round(contradicted / len(users), 4),
        "zh_users": round(sum(u.person.lang == "zh" for u in users) / len(users), 4),
    }


def _write_truth(
    out: Path,
    users: list[UserTruth],
    resumes: dict[int, RenderedResume],
    inj: Injector,
    eligible: dict[str, int],
    shares: dict[str, float],
    seed: int,
    as_of: datetime,
) -> None:
    tdir = out / L.TRUTH_DIR
    tdir.mkdir()

    def plain(
        o: object,
    ) -> object:  # dataclasses by their fields (no deep copy, unlike asdict), dates as text
        return o.__dict__ if hasattr(o, "__dataclass_fields__") else str(o)

    # gzip level 1: the truth is written once per platform and read by evaluation; speed beats size here
    with gzip.open(tdir / "users.jsonl.gz", "wt", encoding="utf-8", compresslevel=1) as f:
        for u in users:
            d = dict(u.__dict__)
            d["resume_layout"] = resumes[u.person.user_id].layout
            d["resume_mentions"] = resumes[u.person.user_id].mentions
            d["role_family"] = ROLE_BY_KEY[u.person.role_key].family
            f.write(json.dumps(d, ensure_ascii=False, default=plain) + "\n")
    (tdir / "injections.json").write_text(json.dumps(inj.log, indent=0))
    (tdir / "summary.json").write_text(
        json.dumps(
            {"seed": seed, "as_of": L.iso(as_of), "shares": shares, "imperfections": inj.summary(eligible)},
            indent=2,
        )
    )
