"""``experience_years`` against the career dates, on hand-made profiles whose answers are worked out by hand.

Every user is updated in June 2026 (u = 2026-06). Jobs A = 2018-01..2022-01 (48 months) and B = 2022-02..open
(52 months to u): a career of 100 months = 8.3 years, span 2018-01..u = 8.4 years. The tolerance is 3 years.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from ai_identity.quality.career_check import experience_check
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.load import PlatformFrames
from ai_identity.quality.relation_checks import _career
from ai_identity.sources.embedded import layout as L

A = {"company": "Beta", "title": "Engineer", "start": "2018-01", "end": "2022-01"}
B = {"company": "Acme", "title": "Engineer", "start": "2022-02", "end": None}
FULL = "Experience\n2022 - Present\nAcme\nEngineer\n\n2018 - 2022\nBeta\nEngineer\n"
SCHOOL_2017 = [{"school": "X University", "end": "2017"}]
# user -> (claimed years, the earlier parse's jobs, its schools, the resume text), and why it passes or fails
USERS: dict[int, tuple[float, list[dict], list[dict], str]] = {
    1: (8.3, [A, B], SCHOOL_2017, FULL),  # both jobs listed, figure = summed months: passes unread
    2: (8.3, [B], SCHOOL_2017, FULL),  # job A dropped from the parse, read back from the text: passes
    3: (13.0, [A, B], SCHOOL_2017, FULL),  # 4.7 years above both readings: fails
    4: (
        2.0,
        [B],
        SCHOOL_2017,
        FULL,
    ),  # within 3 years of the listed span (4.3) but 9 years after school: fails
    # no job listed; the text's last range is a school the parser does not see, but it ends in 2018, when a
    # listed school ended, so the career is 2020-01..u = 6.4 years: passes (counting the school would add 3.8)
    5: (
        6.0,
        [],
        [{"school": "X University", "end": "2019"}, {"school": "Y College", "end": "2018"}],
        "— Employment —\n2020-01 ~ Current\nGamma Ltd\nAnalyst\n\n— Academic Background —\nX University\n"
        "MBA, Statistics\n2018-09 ~ 2019-06\nY College\nB.A., Statistics\n2014-09 ~ 2018-06\n",
    ),
    # one job 2010-01..2014-01 (4 years): the span ends when the job ended, not at u (which would be 16.4): fails
    6: (14.0, [{"company": "Old", "title": "Clerk", "start": "2010-01", "end": "2014-01"}], [], ""),
}


@pytest.fixture(scope="module")
def failed(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, list[str]]:
    root: Path = tmp_path_factory.mktemp("career")
    (root / L.USERS_DIR).mkdir()
    updated = datetime(2026, 6, 15, tzinfo=UTC)
    parsed = []
    for uid, (_, jobs, schools, text) in USERS.items():
        con = sqlite3.connect(L.user_db_path(root, uid))
        for model in L.PRIVATE_TABLES:
            con.execute(L.create_table_sql(model))
        digest = hashlib.sha256(text.encode()).hexdigest()
        con.execute(
            "INSERT INTO resume_content VALUES (?,?,?,?,?,?,?)", (uid, "t", text, text, digest, "", "")
        )
        con.commit()
        con.close()
        parsed.append((uid, uid, json.dumps(jobs), json.dumps(schools)))
    frames = PlatformFrames(root=root, as_of=updated, as_of_source="test")
    frames.tables["users"] = pl.DataFrame(
        {"id": list(USERS), "updated_at__ts": [updated] * len(USERS)},
        schema={"id": pl.Int64, "updated_at__ts": pl.Datetime("us", "UTC")},
    )
    frames.tables["user_profiles"] = pl.DataFrame(
        {"user_id": list(USERS), "experience_years": [v[0] for v in USERS.values()]}
    )
    frames.tables["parsed_resume_data"] = pl.DataFrame(
        parsed,
        schema={
            "user_id": pl.Int64,
            "resume_content_id": pl.Int64,
            "work_experience": pl.String,
            "education": pl.String,
        },
        orient="row",
    )
    (check,) = experience_check(frames, _career(frames), QualityConfig())
    return check.checked, sorted(check.failed["record"].to_list())


def test_when_the_figure_is_off_from_the_merged_career_then_only_it_fails(
    failed: tuple[int, list[str]],
) -> None:
    assert failed == (6, [f"user_profiles:{u}:experience_years" for u in (3, 4, 6)])


def test_when_nothing_is_read_then_only_a_figure_below_the_listed_jobs_fails(tmp_path: Path) -> None:
    """With no resume read (``experience_parse_max = 0``) the listed jobs can only undercount: user 2's figure
    above them may be job A, which the parse dropped, so it passes; user 7's 0.5 years is below the 8.3 years
    its listed jobs already add up to, so it fails."""
    cfg = QualityConfig(experience_parse_max=0)
    moment = datetime(2026, 6, 15, tzinfo=UTC)
    frames = PlatformFrames(root=tmp_path, as_of=moment, as_of_source="test")
    frames.tables["users"] = pl.DataFrame(
        {"id": [2, 7], "updated_at__ts": [moment, moment]},
        schema={"id": pl.Int64, "updated_at__ts": pl.Datetime("us", "UTC")},
    )
    frames.tables["user_profiles"] = pl.DataFrame({"user_id": [2, 7], "experience_years": [8.3, 0.5]})
    frames.tables["parsed_resume_data"] = pl.DataFrame(
        [(2, 2, json.dumps([B]), "[]"), (7, 7, json.dumps([A, B]), "[]")],
        schema=["user_id", "resume_content_id", "work_experience", "education"],
        orient="row",
    )
    (check,) = experience_check(frames, _career(frames), cfg)
    assert check.failed["record"].to_list() == ["user_profiles:7:experience_years"]
