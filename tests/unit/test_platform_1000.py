"""A 1,000-user platform: generates through the CLI, reads back completely, and meets the issue's numbers."""

from __future__ import annotations

import contextlib
import io
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ai_identity.cli import main
from ai_identity.privacy.read_spy import grant_everything
from ai_identity.sources.embedded import layout as L
from ai_identity.sources.embedded.events import read_events
from ai_identity.sources.embedded.reader import EmbeddedPlatform
from ai_identity.synth.noise import RATES

pytestmark = pytest.mark.slow

USERS = 1000
# injection class -> the reason the event reader reports for it
EVENT_REJECTS = {
    "malformed_action_type": "action_type: expected one of the allowed values",
    "malformed_action_details": "action_details: expected a JSON document",
    "negative_duration": "duration: expected an integer >= 0",
    "future_event": "timestamp: in the future of the platform's now",
}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """Generated once through the CLI with --json; the printed report is what the tests check."""
    root = tmp_path_factory.mktemp("p1000") / "p"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["generate", "--users", str(USERS), "--seed", "1000", "--out", str(root), "--json"])
    assert code == 0
    return root, json.loads(buf.getvalue())


@pytest.mark.parametrize(
    ("share", "low", "high"),
    [
        ("max_layout_share", 0.0, 0.10),
        ("mentions_absent_from_alias_table", 0.30, 1.0),
        ("users_whose_settings_contradict_behaviour", 0.25, 1.0),
        ("zh_users", 0.4, 0.6),
    ],
)
def test_when_1000_users_generated_then_printed_share_meets_issue(big, share, low, high):
    _, report = big
    assert low <= report["shares"][share] <= high, report["shares"]


def test_when_1000_users_generated_then_truth_summary_matches_printed_report(big):
    root, report = big
    summary = json.loads((root / "_truth" / "summary.json").read_text())
    assert summary["shares"] == report["shares"]
    assert report["users"] == USERS


def test_when_1000_users_generated_then_event_count_printed_is_the_table_count(big):
    root, report = big
    con = sqlite3.connect(root / L.PLATFORM_DB)
    n = con.execute("SELECT count(*) FROM user_behavior_analysis").fetchone()[0]
    con.close()
    assert report["events"] == n > 50 * USERS


@pytest.mark.parametrize("cls", sorted(RATES))
def test_when_1000_users_generated_then_injection_rate_near_documented(big, cls):
    _, report = big
    inj = report["injections"][cls]
    rate, n = RATES[cls][0], inj["eligible"]
    assert n >= USERS
    # within 4 standard deviations of the binomial count (a few classes roll only where applicable)
    tolerance = 4 * math.sqrt(n * rate * (1 - rate)) + 2
    assert abs(inj["injected"] - rate * n) <= tolerance, inj


def test_when_1000_users_read_back_then_complete(big):
    root, _ = big
    grant_everything(root)  # the collector reads by consent: every record is read only when all is granted
    platform = EmbeddedPlatform(root)
    try:
        n = 0
        seen = set()
        for batch in platform.iter_batches(as_of=platform.reference_time()):
            for b in batch:
                n += 1
                seen.add(b.user_id)
                assert b.user is not None and b.profiles and b.settings and b.resumes, b.user_id
                assert b.resume_content and b.parsed_resumes and b.privacy, b.user_id
                assert b.embeddings and b.resume_data and b.ai_profiles, b.user_id
        report = platform.report
    finally:
        platform.close()
    assert n == len(seen) == USERS
    assert report.skipped_users == {}
    assert report.absent() == []
    for store in ("mysql", "postgres", "sqlite", "graph", "redis", "weaviate"):
        assert report[store].rejected == 0, (store, dict(report[store].reasons))
        assert report[store].read > 0, store


def test_when_events_read_in_small_chunks_then_behaviour_and_counts_match_one_frame(big):
    """The chunked reader hands out whole users (a user is never split across chunks, checked by the reader);
    the behaviour computed over many small chunks equals the one computed over one frame."""
    import dataclasses

    from ai_identity.analyse.behavior import COLUMNS, behavior_stats
    from ai_identity.sources.embedded.events import read_event_chunks

    root, _ = big
    as_of = EmbeddedPlatform(root).reference_time()
    whole = read_events(root, as_of, columns=COLUMNS)
    chunks = read_event_chunks(root, as_of, columns=COLUMNS, chunk_rows=7_919)
    seen: list[int] = []
    for chunk in chunks:
        seen.extend(chunk["user_id"].unique().to_list())
    assert len(seen) == len(set(seen)) > 900  # no user in two chunks
    assert (chunks.stats.read, chunks.stats.rejected) == (whole.stats.read, whole.stats.rejected)
    assert chunks.stats.reasons == whole.stats.reasons
    as_table = behavior_stats(read_event_chunks(root, as_of, columns=COLUMNS, chunk_rows=7_919), {}, as_of)
    one = behavior_stats(whole.frame, {}, as_of)
    assert list(as_table) == list(one)
    for uid in list(one)[::25]:
        assert dataclasses.asdict(as_table[uid]) == dataclasses.asdict(one[uid]), uid
    assert as_table.assistance_posteriors() == one.assistance_posteriors()


def test_when_1000_users_events_read_then_only_injected_faults_rejected(big):
    root, report = big
    as_of = EmbeddedPlatform(root).reference_time()
    frame = read_events(root, as_of)
    expected = {reason: report["injections"][cls]["injected"] for cls, reason in EVENT_REJECTS.items()}
    assert dict(frame.stats.reasons) == expected
    assert frame.stats.read + frame.stats.rejected == report["events"]
