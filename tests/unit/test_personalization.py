"""Fingerprints and the personalization measure: hand-made event frames and texts (English and Chinese), the
held-out split's honesty on a generated platform, and the figure on the session's built platform."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from ai_identity.analyse.assemble import resume_text
from ai_identity.analyse.fingerprint import Fingerprints, Matcher, event_fingerprints
from ai_identity.analyse.vectors import HashedNgramEmbedder
from ai_identity.model import records as r
from ai_identity.personalization import (
    _split_text,
    _without_personal,
    personalization,
    rank_first,
    split_fingerprints,
)
from ai_identity.sources.base import UserRecords
from ai_identity.sources.embedded.events import read_events
from ai_identity.sources.embedded.reader import EmbeddedPlatform

DAY = datetime(2026, 10, 5, tzinfo=UTC)


def _us(hour: int, minute: int = 0) -> int:
    return int(DAY.replace(hour=hour, minute=minute).timestamp() * 1_000_000)


def _events(rows: list[tuple[int, str, int, str, str, str, int, bool]]) -> pl.DataFrame:
    cols = (
        "user_id",
        "session_id",
        "ts_us",
        "user_agent",
        "action_type",
        "action_target",
        "action_target_id",
    )
    return pl.DataFrame([r for r in rows], schema=[*cols, "success"], orient="row")


def _fp(users: list[int], **bags: list[list[str]]) -> Fingerprints:
    return Fingerprints(users, dict(bags), np.zeros(len(users)))


def test_when_events_are_fingerprinted_then_each_family_holds_that_users_tokens() -> None:
    frame = _events(
        [
            (1, "a", _us(9, 5), "ua-x", "login", "session", -1, True),
            (1, "a", _us(9, 6), "ua-x", "view", "job", 17, True),
            (1, "a", _us(9, 8), "ua-x", "update", "template", 23, False),
            (1, "n", _us(20, 1), "ua-y", "view", "notification", -1, True),
            (2, "b", _us(3), "ua-z", "view", "company", 4, True),
        ]
    )
    fp = event_fingerprints(frame, [1, 2, 3])
    assert fp.bags["interest"] == [["job:17"], ["company:4"], []]
    assert sorted(fp.bags["hour"][0]) == ["9", "n20"]  # UTC hours; a notification open apart
    assert sorted(fp.bags["agent"][0]) == ["ua-x", "ua-y"]  # one per session, not per event
    assert Counter(fp.bags["action"][0]) == Counter(
        ["login:session", "view:job", "update:template", "view:notification"]
    )
    assert Counter(fp.bags["outcome"][0]) == Counter({"ok": 3, "fail": 1})
    assert fp.bags["template"][0] == ["23"]
    assert fp.sessions.tolist() == [2, 1, 0]
    assert all(bag[2] == [] for bag in fp.bags.values())  # a user without events has empty bags


def test_when_a_probe_shares_a_rare_interest_then_that_profile_ranks_first() -> None:
    common = ["job:1"] * 5
    profiles = _fp([1, 2, 3], interest=[[*common, "job:50"], [*common, "job:99"], [*common, "company:7"]])
    probes = _fp([1, 2, 3], interest=[["job:1", "job:50"], ["job:1", "job:99"], ["company:7"]])
    scores = Matcher(profiles, weights={"interest": 1.0}).fused(probes)
    assert scores.argmax(axis=1).tolist() == [0, 1, 2]


def test_when_sessions_fall_on_a_neighbouring_hour_then_the_profile_still_matches() -> None:
    profiles = _fp([1, 2], hour=[["9", "10", "10"], ["21", "22", "22"]])
    probes = _fp([1, 2], hour=[["11"], ["23"]])  # hours no profile has seen: the kernel spreads 10 and 22
    assert Matcher(profiles, weights={"hour": 1.0}).fused(probes).argmax(axis=1).tolist() == [0, 1]


@pytest.mark.parametrize(
    ("texts", "probe"),
    [
        (
            [
                "Senior Engineer at Redwood Lane Labs. Built Python services and dashboards.",
                "Senior Engineer at Maplecrest Software. Built Python services and dashboards.",
            ],
            "Redwood Lane Labs, 2021 to 2024",
        ),
        (
            [
                "测试工程师 远帆金融科技 负责支付模块的自动化测试",
                "测试工程师 启明支付 负责支付模块的自动化测试",
            ],
            "2024 - 2026 启明支付",
        ),
    ],
    ids=["en", "zh"],
)
def test_when_a_probe_names_a_rare_company_then_content_matches_the_profile_holding_it(
    texts: list[str], probe: str
) -> None:
    emb = HashedNgramEmbedder()
    profiles = _fp([1, 2], content=[emb.tokens(t) for t in texts])
    own = 0 if "Redwood" in probe else 1
    probes = _fp([1], content=[emb.tokens(probe)])
    scores = Matcher(profiles, weights={"content": 1.0}).fused(probes)[0]
    assert scores.argmax() == own and scores[own] > scores[1 - own] + 0.1


def test_when_session_counts_differ_then_activity_prefers_the_profile_at_that_rate() -> None:
    profiles = Fingerprints([1, 2], {}, np.array([40.0, 4.0]))
    probes = Fingerprints(
        [1, 2], {}, np.array([10.0, 1.0])
    )  # a 20% slice: a quarter of the profile's sessions
    scores = Matcher(profiles, probe_share=0.2, weights={"activity": 1.0}).fused(probes)
    assert scores.argmax(axis=1).tolist() == [0, 1]


def test_when_two_profiles_tie_then_neither_counts_as_ranked_first() -> None:
    profiles = _fp([1, 2, 3], skills=[["python", "sql"], ["python", "sql"], ["jira"]])
    probes = _fp([1, 2, 3], skills=[["sql"], ["sql"], ["jira"]])
    assert rank_first(profiles, probes, {"skills": 1.0}).tolist() == [False, False, True]


def test_when_resume_text_is_split_then_kept_and_held_lines_partition_it() -> None:
    text = "\n".join(f"line {i}" for i in range(40)) + "\n\n"
    kept, held = _split_text(7, text)
    k, h = kept.splitlines(), held.splitlines()
    assert h and k and not set(k) & set(h)
    assert sorted(k + h, key=lambda s: int(s.split()[1])) == [f"line {i}" for i in range(40)]
    assert 0.05 < len(h) / 40 < 0.4
    assert _split_text(7, text) == (kept, held)  # SHA-256, the same on every run
    assert _split_text(1, "only line")[1] == "only line"  # at least one line is held out


def test_when_text_is_fingerprinted_then_the_users_stored_personal_values_are_blanked() -> None:
    rec = UserRecords(
        7,
        user=r.User(id=7, username="wwei", email="wei.w@example.cn", phone="13812345678", created_at=DAY),
        profiles=[r.UserProfile(user_id=7, real_name="王伟")],
    )
    text = (
        "姓名：王伟\n电话：13812345678  邮箱：wei.w@example.cn\nGitHub: wwei\n测试工程师 · 启明支付 · Kiwwei"
    )
    out = _without_personal(text, rec)
    assert all(
        v not in out.replace("Kiwwei", "") for v in ("王伟", "13812345678", "wei.w@example.cn", "wwei")
    )
    assert (
        "测试工程师 · 启明支付 · Kiwwei" in out
    )  # a value inside a longer word is left alone and out.count("\n") == text.count("\n")  # lines kept for the split


def test_when_a_platform_is_split_then_profiles_never_see_the_held_out_slice(
    small_built_platform: Any,
) -> None:
    root: Path = small_built_platform(11)
    plat = EmbeddedPlatform(root)
    as_of = plat.reference_time()
    assert as_of is not None
    ids = sorted(plat.timezone_inputs())[:40]
    frame = read_events(root, as_of).frame.filter(pl.col("user_id").is_in(ids))
    recs = {rec.user_id: rec for batch in plat.iter_batches(ids, as_of) for rec in batch}
    plat.close()
    profiles, probes = split_fingerprints(root, ids)
    sessions = dict(frame.group_by("user_id").agg(pl.col("session_id").n_unique()).iter_rows())
    assert (profiles.sessions + probes.sessions).tolist() == [sessions.get(u, 0) for u in ids]
    assert probes.sessions.sum() > 0 and profiles.sessions.sum() > 3 * probes.sessions.sum()
    emb = HashedNgramEmbedder()
    checked = unseen = 0
    for i, u in enumerate(ids):
        t = resume_text(recs[u])
        if t is None:
            continue
        kept, held = _split_text(u, _without_personal(t[0], recs[u]))
        companies = [c.name for _, c in recs[u].worked_at if c is not None and c.name]
        assert probes.bags["content"][i] == emb.tokens(held)  # the probe: the held-out lines only
        assert profiles.bags["content"][i] == emb.tokens("\n".join([kept, *companies]))  # never those lines
        unseen += bool(set(emb.tokens(held)) - set(profiles.bags["content"][i]))
        checked += 1
    assert checked > 30 and unseen > 30  # held-out words really are missing from the profiles


def test_when_identities_are_matched_then_most_users_rank_their_own_first(built_platform: Any) -> None:
    ids = sorted(u for u, i in built_platform.identities.items() if not i.stub)
    score = personalization(built_platform.root, ids)
    assert score >= 0.85, score  # the seed's 个性化程度 goal (1,000-user figures: docs/evaluation.md)


def test_when_no_user_has_any_events_then_nobody_is_told_apart_and_nothing_fails() -> None:
    frame = _events([(9, "x", _us(1), "ua", "login", "session", -1, True)]).clear()
    profiles, probes = event_fingerprints(frame, [1, 2]), event_fingerprints(frame, [1, 2])
    assert rank_first(profiles, probes).tolist() == [False, False]
