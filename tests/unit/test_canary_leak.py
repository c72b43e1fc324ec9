"""The leak property: canary strings planted in every tier's fields of generated users never appear, for a tier
or purpose the user did not consent to, in any output — identity JSON, persona text, vectors and their metadata
(the whole identity store file), logs, error messages, and the exports (``export``, ``export-training``,
``stats``, ``show``).

Hypothesis draws the canaries (tokens, and e-mail/phone/ID-shaped ones inside free text) and each user's consent
(tier level, AI-analysis consent, the analytics and model-training purposes); one small generated platform is
copied and planted per example."""

from __future__ import annotations

import csv
import json
import logging
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_identity.cli import main
from ai_identity.pipeline import build
from ai_identity.privacy.consent import TIERS, ConsentStore, default_consent_path
from ai_identity.settings import Settings
from ai_identity.sources.embedded import layout as L
from ai_identity.store.identities import default_path
from ai_identity.synth.writer import generate

USERS, SEED = 8, 33
LEVELS = {
    "basic": {"basic"},
    "sensitive": {"basic", "sensitive"},
    "relational": {"basic", "relational"},
    "full": set(TIERS),
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("canary") / "platform"
    generate(root, USERS, SEED)
    return root


@dataclass
class Canaries:
    """Per user: tier -> the canaries planted in fields of that tier."""

    by_user: dict[int, dict[str, set[str]]] = field(default_factory=dict)

    def add(self, uid: int, tier: str, value: str) -> str:
        self.by_user.setdefault(uid, {}).setdefault(tier, set()).add(value)
        return value


def resident_id(digits: str) -> str:
    """An 18-character mainland resident ID with a valid checksum (so the PII detector has to catch it)."""
    body = ("110105" + "19900307" + digits[:3]).ljust(17, "0")[:17]
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def plant(root: Path, token: str, digits: str) -> Canaries:
    """Put a distinct canary into every sensitive and relational field of every user, and a basic one into a
    basic field (the positive control: it must show up for users whose identity is built)."""
    c = Canaries()
    con = sqlite3.connect(root / L.PLATFORM_DB)
    ids = [row[0] for row in con.execute("SELECT id FROM users ORDER BY id")]
    old_email = dict(con.execute("SELECT id, email FROM users").fetchall())
    new_email: dict[str, str] = {}
    for uid in ids:
        t = f"{token}{uid:03d}"
        email = c.add(uid, "sensitive", f"cnry{t}@example.com")
        if old_email.get(uid):
            new_email[old_email[uid].strip().lower()] = email
        con.execute(
            "UPDATE users SET email = ?, phone = ? WHERE id = ?",
            (email, c.add(uid, "sensitive", f"PHONE{t}"), uid),
        )
        con.execute(
            "UPDATE user_profiles SET real_name = ?, avatar = ?, bio = ?, location = ? WHERE user_id = ?",
            (
                c.add(uid, "sensitive", f"NAME{t}"),
                c.add(uid, "sensitive", f"AVATAR{t}"),
                c.add(uid, "sensitive", f"BIO{t}"),
                c.add(uid, "sensitive", f"ADDR{t}"),
                uid,
            ),
        )
        con.execute(
            "UPDATE user_sessions SET ip_address = ? WHERE user_id = ?",
            (c.add(uid, "sensitive", f"IP{t}"), uid),
        )
        con.execute(
            "UPDATE user_behavior_analysis SET ip_address = ? WHERE user_id = ?",
            (c.add(uid, "sensitive", f"EVIP{t}"), uid),
        )
        # free text: contact details the collector must mask (shaped as real ones), appended to the resume
        phone = c.add(uid, "sensitive", f"139{digits[:4]}{uid:04d}")
        idno = c.add(uid, "sensitive", resident_id(f"{uid:03d}"))
        mail = c.add(uid, "sensitive", f"cv{t}@example.cn")
        extra = f"\n联系方式：{phone}  邮箱：{mail}  身份证：{idno}\n"
        con.execute("UPDATE resumes SET content = content || ? WHERE user_id = ?", (extra, uid))
        con.execute(
            "UPDATE resume_data SET ai_analysis = ? WHERE user_id = ?",
            (json.dumps({"note": c.add(uid, "sensitive", f"RDAI{t}")}), uid),
        )
        con.execute(
            "UPDATE user_ai_profiles SET personality_traits = ? WHERE user_id = ?",
            (json.dumps([c.add(uid, "sensitive", f"TRAIT{t}")]), uid),
        )
        # basic: the positive control (the profile's stated industry is shown as it is)
        con.execute(
            "UPDATE user_profiles SET industry = ? WHERE user_id = ?", (c.add(uid, "basic", f"Ind{t}"), uid)
        )
        private = sqlite3.connect(L.user_db_path(root, uid))
        private.execute(
            "UPDATE resume_content SET content = content || ?, raw_content = ?",
            (extra, c.add(uid, "sensitive", f"RAW{t}")),
        )
        for rid, work in private.execute(
            "SELECT resume_content_id, work_experience FROM parsed_resume_data"
        ).fetchall():
            entries = json.loads(work) if work else []
            for e in entries:
                if isinstance(e, dict):
                    e["description"] = c.add(uid, "sensitive", f"DESC{t}")
            private.execute(
                "UPDATE parsed_resume_data SET work_experience = ?, personal_info = ?, projects = ? "
                "WHERE resume_content_id = ?",
                (
                    json.dumps(entries),
                    json.dumps({"name": c.add(uid, "sensitive", f"PINFO{t}")}),
                    json.dumps([{"name": c.add(uid, "sensitive", f"PROJ{t}")}]),
                    rid,
                ),
            )
        private.commit()
        private.close()
    con.commit()
    con.close()
    # documents: keyed by the (new) e-mail; content and collaboration history carry canaries
    path = root / L.DOCUMENTS_FILE
    by_email = {f"cnry{token}{u:03d}@example.com": u for u in ids}
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        email = new_email.get(str(doc.get("user_id", "")).strip().lower())
        if email:
            uid = by_email[email]
            doc["user_id"] = email
            for d in doc.get("documents", []):
                d["content"] = c.add(uid, "sensitive", f"DOC{token}{uid:03d}")
                d["collaboration_history"] = [c.add(uid, "relational", f"COLLAB{token}{uid:03d}")]
        lines.append(json.dumps(doc, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # graph: the user node's location
    gpath = root / L.GRAPH_DIR / L.GRAPH_FILES["User"]
    with open(gpath, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    if "location" in head:
        names = dict(
            sqlite3.connect(root / L.PLATFORM_DB).execute("SELECT username, id FROM users").fetchall()
        )
        for row in rows[1:]:
            uid = names.get(row[head.index("username")])
            if uid is not None:
                row[head.index("location")] = c.add(uid, "sensitive", f"GLOC{token}{uid:03d}")
        with open(gpath, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
    return c


def outputs(root: Path, ids: list[int], capsys: pytest.CaptureFixture[str], tmp: Path) -> dict[str, str]:
    """Every output the engine gives about the platform, by name."""
    out: dict[str, str] = {}
    con = sqlite3.connect(default_path(root))
    out["identity store (identities, persona, vectors, metadata, runs)"] = "\n".join(con.iterdump())
    con.close()
    for uid in ids:
        for args in (["export", str(uid)], ["show", str(uid), "--json", "--viewer", "public"]):
            main([*args, "--platform", str(root)])
            got = capsys.readouterr()
            out[" ".join(args)] = got.out + got.err
    main(
        ["export-training", "--platform", str(root), "--out", str(tmp / "train.jsonl"), "--k", "2", "--json"]
    )
    got = capsys.readouterr()
    out["export-training"] = got.out + got.err + (tmp / "train.jsonl").read_text(encoding="utf-8")
    for q in ("count", "activity-by-hour"):
        main(["stats", "--platform", str(root), "--query", q, "--epsilon", "0.5", "--budget", "10", "--json"])
        got = capsys.readouterr()
        out[f"stats {q}"] = got.out + got.err
    return out


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    token=st.text(alphabet="bcdfghjkmnpqrstvwxz", min_size=6, max_size=6),
    digits=st.text(alphabet="0123456789", min_size=4, max_size=4),
    consent=st.lists(
        st.tuples(st.sampled_from(sorted(LEVELS)), st.booleans(), st.booleans(), st.booleans()),
        min_size=USERS,
        max_size=USERS,
    ),
)
def test_when_canaries_are_planted_then_none_from_an_unconsented_field_leaves(
    generated: Path,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    token: str,
    digits: str,
    consent: list[tuple[str, bool, bool, bool]],
) -> None:
    tmp = tmp_path_factory.mktemp("canary-run")
    root = tmp / "platform"
    shutil.copytree(generated, root)
    canaries = plant(root, token, digits)
    ids = sorted(canaries.by_user)
    allowed: dict[int, set[str]] = {}
    with ConsentStore(default_consent_path(root)) as store:
        for uid, (level, analysis, analytics, training) in zip(ids, consent, strict=True):
            for tier in TIERS:
                (store.grant if tier in LEVELS[level] else store.revoke)(uid, tier, "test")
            (store.grant if analysis else store.revoke)(uid, "identity_building", "test")
            (store.grant if analytics else store.revoke)(uid, "analytics", "test")
            (store.grant if training else store.revoke)(uid, "model_training", "test")
            allowed[uid] = set(LEVELS[level]) if analysis else set()
    caplog.set_level(logging.DEBUG)
    build(root, settings=Settings(workers=1))
    seen = outputs(root, ids, capsys, tmp)
    seen["logs"] = "\n".join(rec.getMessage() for rec in caplog.records)
    leaks = []
    shown_basic = 0
    for uid, tiers in canaries.by_user.items():
        for tier, values in tiers.items():
            for value in values:
                where = [name for name, text in seen.items() if value in text]
                if tier not in allowed[uid] and where:
                    leaks.append(f"user {uid} ({tier} not consented): {value} in {where}")
                if tier == "basic" and tier in allowed[uid] and where:
                    shown_basic += 1
    assert not leaks, "\n".join(leaks)
    # positive controls: canaries do surface where consent allows, so their absence above means something
    assert shown_basic == sum(1 for uid in ids if "basic" in allowed[uid])
    for uid in ids:
        if "sensitive" in allowed[uid]:
            email = f"cnry{token}{uid:03d}@example.com"
            assert email in seen[f"export {uid}"], f"user {uid}: consented e-mail not in their own export"
