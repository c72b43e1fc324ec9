"""CLI commands: ``stats`` (differentially private statistics) and ``export-training`` (k-anonymous rows).

Both record what they did in the platform's audit log (``privacy.audit``) without naming anyone.
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ai_identity.cli import app
from ai_identity.errors import UsageError

PlatformOpt = Annotated[Path, typer.Option("--platform", help="Platform folder in the embedded layout.")]
AuditOpt = Annotated[
    Path | None,
    typer.Option("--audit", help="Audit log file (default <platform>/identity/audit.sqlite)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]
_SHOWN = 24


class Query(StrEnum):
    COUNT = "count"
    ACTIVITY_BY_HOUR = "activity-by-hour"
    SKILLS_BY_INDUSTRY = "skills-by-industry"
    MEAN_EXPERIENCE = "mean-experience"


def _audit(platform: Path, path: Path | None, action: str, details: dict[str, Any]) -> None:
    from ai_identity.privacy.audit import AuditLog, default_audit_path

    with AuditLog(path or default_audit_path(platform)) as log:
        log.record(action, actor="cli", details=details)


@app.command()
def stats(
    platform: PlatformOpt,
    query: Annotated[Query, typer.Option("--query", help="Which statistic to release.")],
    epsilon: Annotated[float, typer.Option("--epsilon", help="Privacy loss ε this release may spend.")],
    budget: Annotated[
        float | None,
        typer.Option("--budget", help="Total ε of the dataset (set on first use; may be changed later)."),
    ] = None,
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", help="Budget ledger (default <platform>/identity/dp_ledger.sqlite)."),
    ] = None,
    dataset: Annotated[str, typer.Option("--dataset", help="Budget name inside the ledger.")] = "platform",
    industry: Annotated[str | None, typer.Option("--industry", help="Cohort: only this industry.")] = None,
    seniority: Annotated[str | None, typer.Option("--seniority", help="Cohort: only this seniority.")] = None,
    education: Annotated[
        str | None, typer.Option("--education", help="Cohort: only this education level.")
    ] = None,
    audit: AuditOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Release a differentially private statistic, charged to the dataset's ε budget (refused past it)."""
    from ai_identity.privacy.dp import release
    from ai_identity.privacy.dp_queries import Cohort, plan_query
    from ai_identity.privacy.ledger import PrivacyLedger, default_ledger_path

    cohort = Cohort(industry, seniority, education)
    plan = plan_query(platform, query.value, epsilon, cohort)
    with PrivacyLedger(ledger or default_ledger_path(platform)) as book:
        result = release(plan, book, dataset=dataset, total=budget)
    _audit(
        platform,
        audit,
        "dp.release",
        {
            "query": result.query,
            "dataset": dataset,
            "epsilon": result.epsilon,
            "budget_total": result.budget_total,
            "budget_remaining": result.budget_remaining,
            "cohort": result.cohort,
        },
    )
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
        return
    typer.echo(
        f"{result.query}  ε spent {result.epsilon:.4g} (remaining {result.budget_remaining:.4g} of "
        f"{result.budget_total:.4g})  {result.mechanism}"
    )
    scales = ", ".join(f"{k} {v:.4g}" for k, v in result.noise_scale.items())
    typer.echo(f"noise scale: {scales}; contribution: {result.contribution}")
    items = list(result.estimates.items())
    if len(items) > _SHOWN:
        items = sorted(items, key=lambda kv: -kv[1].value)[:_SHOWN]
        typer.echo(f"top {_SHOWN} of {len(result.estimates)} categories (all with --json):")
    for name, est in items:
        typer.echo(f"  {name:<32} {est.value:>12.2f}   95% [{est.low:.2f}, {est.high:.2f}]")


@app.command("export-training")
def export_training(
    platform: PlatformOpt,
    out: Annotated[Path, typer.Option("--out", help="JSON-lines file to write.")],
    k: Annotated[
        int, typer.Option("--k", help="Every row shares its quasi-identifiers with >= k-1 others.")
    ] = 5,
    stable_ids: Annotated[
        bool,
        typer.Option(
            "--stable-pseudonyms",
            help="Use the identities' keyed pseudonyms as row ids (default: random per export).",
        ),
    ] = False,
    audit: AuditOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write k-anonymous training rows (generalised quasi-identifiers, common skills) and report the cost."""
    from ai_identity.privacy.kanon import anonymise, training_records
    from ai_identity.store.identities import IdentityStore, default_path

    path = default_path(platform)
    if not path.exists():
        raise UsageError(f"--platform: no identities at {path}; run `ai-identity build` first")
    store = IdentityStore(path)
    try:
        records = training_records(store.all())
    finally:
        store.close()
    result = anonymise(records, k, stable_ids=stable_ids)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in result.rows).encode()
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(payload)
    tmp.replace(out)
    report = result.report()
    _audit(
        platform,
        audit,
        "export.training",
        {
            "k": k,
            "rows": len(result.rows),
            "suppressed": result.suppressed,
            "sha256": hashlib.sha256(payload).hexdigest(),
            "stable_pseudonyms": stable_ids,
        },
    )
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    typer.echo(
        f"k={k}: exported {len(result.rows)} of {result.input_rows} rows "
        f"(suppressed {result.suppressed}, {1 - result.kept_share:.2%}); {result.classes} classes, "
        f"smallest {result.smallest_class}; {result.skills_dropped} rare skills dropped"
    )
    for name, kept in result.information_kept.items():
        typer.echo(f"  {name:<18} information kept {kept:.3f}   mean level {result.mean_level[name]:.3f}")
