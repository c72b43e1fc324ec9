"""Data quality (DESIGN.md §6): the seed's metrics and gates over a whole platform, the HTML report, per-identity
quality and human-evaluation sampling. Method and formulas: docs/quality.md.

    run = evaluate(Path("platform"), load_config(None))   # every check, metric and gate, columnar
    run.passed, run.gates, run.findings()                   # gate verdicts; failing record keys (no values)
"""

from ai_identity.quality.config import QualityConfig, load_config
from ai_identity.quality.gates import Gate, QualityRun, evaluate
from ai_identity.quality.per_identity import UserFindings, identity_quality, user_findings

__all__ = [
    "Gate",
    "QualityConfig",
    "QualityRun",
    "UserFindings",
    "evaluate",
    "identity_quality",
    "load_config",
    "user_findings",
]
