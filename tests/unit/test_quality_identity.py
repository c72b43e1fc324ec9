"""Per-identity quality: the platform's findings folded into an identity's ``quality`` section."""

from __future__ import annotations

from pathlib import Path

from test_quality_metrics import make_platform

from ai_identity.model.identity import Quality
from ai_identity.quality.config import QualityConfig
from ai_identity.quality.gates import evaluate
from ai_identity.quality.per_identity import identity_quality, user_findings


def test_when_a_users_records_fail_checks_then_their_identity_lists_them(tmp_path: Path) -> None:
    findings = user_findings(evaluate(make_platform(tmp_path / "p"), QualityConfig()))
    base = Quality(completeness=0.5, confidence=0.5, contradictions=["from the build"], rejected_records=1)
    q3 = identity_quality(base, 3, findings)
    assert q3.contradictions[0] == "from the build"
    assert "quality: resumes.content = resume_content copy (resumes:31)" in q3.contradictions
    assert "quality: users.email one account (users:3:email)" in q3.contradictions
    assert q3.rejected_records > 1  # its missing timezone and malformed event fields
    q4 = identity_quality(base, 4, findings)
    assert q4 == base  # user 4's records are all clean
    assert identity_quality(q3, 3, findings).contradictions == q3.contradictions  # idempotent


def test_when_a_platform_is_built_then_identities_carry_their_users_quality_findings(tmp_path):
    """The build folds the platform's data-quality findings into each identity's ``quality`` section."""
    from ai_identity.cli import main
    from ai_identity.store.identities import IdentityStore, default_path

    plat = tmp_path / "p"
    assert main(["generate", "--users", "80", "--seed", "21", "--out", str(plat), "--json"]) == 0
    assert main(["build", "--platform", str(plat), "--json"]) in (0, 3)
    store = IdentityStore(default_path(plat))
    try:
        found = [i for i in store.all() if any(c.startswith("quality: ") for c in i.quality.contradictions)]
    finally:
        store.close()
    assert found, "no identity carries a data-quality finding although the generator injects faults"
