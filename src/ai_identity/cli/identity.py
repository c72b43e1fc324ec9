"""CLI: build identities, show one, print the schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from ai_identity.cli import app
from ai_identity.cli.platform import out, parse_time, progress_bar
from ai_identity.errors import UsageError

PlatformOpt = Annotated[Path, typer.Option("--platform", help="Platform folder in the embedded layout.")]


def _users(value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        return [int(x) for x in value.replace(" ", "").split(",") if x]
    except ValueError:
        raise UsageError("--users: expected comma-separated integer user ids, e.g. 1,2,3") from None


@app.command()
def build(
    platform: PlatformOpt = Path("platform"),
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Build from the data as it stood then (ISO-8601).")
    ] = None,
    users: Annotated[
        str | None, typer.Option("--users", help="Only these user ids (comma-separated).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Build from the servers in this config file (docs/stores.md)."),
    ] = None,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since", help="Only users whose records or events changed since TIME, or 'last'."
        ),
    ] = None,
) -> None:
    """Build every user's AI identity into the identity store (exit 3 when a user or source was skipped)."""
    from ai_identity.pipeline import build as run

    since = changed_since if changed_since in (None, "last") else parse_time(changed_since, "--changed-since")
    stores = None
    if config is not None:
        from ai_identity.config import load_config

        stores = load_config(config)
    with progress_bar(not as_json) as tick:
        summary = run(
            platform,
            as_of=parse_time(as_of, "--as-of"),
            user_ids=_users(users),
            progress=tick,
            stores=stores,
            changed_since=since,
        )
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), indent=2, default=str))
    else:
        out.print(
            f"[bold]Built[/] {summary.built:,} identities ({summary.partial:,} partial, {summary.stubs:,} stubs "
            f"without AI-analysis consent, {summary.changed:,} new versions) as of {summary.as_of} "
            f"in {summary.seconds:.1f} s"
        )
        out.print(f"Identity store: {summary.store}")
        if summary.incremental is not None:
            inc = summary.incremental
            changed = ", ".join(f"{k} {v:,}" for k, v in inc["by_source"].items() if v)
            out.print(f"Changed since {inc['since']}: {inc['everyone'] or changed or 'nothing'}")
        if summary.skipped or summary.private_skipped:
            t = Table("user", "skipped because", title="Skipped")
            for uid, why in list(summary.skipped.items())[:20] + list(summary.private_skipped.items())[:20]:
                t.add_row(str(uid), why)
            out.print(t)
        if summary.partial_reasons:
            t = Table("why an identity is partial", "users", title="Partial identities")
            for why, n in summary.partial_reasons.most_common(10):
                t.add_row(why, f"{n:,}")
            out.print(t)
        t = Table("source", "present", "read", "rejected", "top reasons", title="Sources")
        for name, s in summary.sources.items():
            t.add_row(
                name,
                "yes" if s["present"] else "[red]no[/]",
                f"{s['read']:,}",
                f"{s['rejected']:,}",
                "; ".join(f"{k} ({v})" for k, v in list(s["reasons"].items())[:2]) or s.get("note", ""),
            )
        out.print(t)
    raise typer.Exit(summary.exit_code)


@app.command()
def show(
    user: Annotated[int, typer.Argument(help="Platform user id.")],
    platform: PlatformOpt = Path("platform"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the identity document as JSON.")] = False,
    viewer: Annotated[str, typer.Option("--viewer", help="self | trusted | public")] = "self",
    evidence: Annotated[bool, typer.Option("--evidence", help="Show each claim's evidence.")] = False,
) -> None:
    """Show one user's identity as the viewer may see it."""
    from ai_identity.analyse.persona import view
    from ai_identity.store.identities import IdentityStore, default_path

    path = default_path(platform)
    if not path.exists():
        raise UsageError(f"--platform: no identity store under {platform} (run `ai-identity build` first)")
    store = IdentityStore(path)
    try:
        ident = view(store.get(user), viewer)
    finally:
        store.close()
    from ai_identity.privacy.audit import AuditLog, default_audit_path

    with AuditLog(default_audit_path(platform)) as log:  # identity reads are audited, by viewer kind
        log.record("identity.read", actor="cli", subject=user, details={"viewer": viewer})
    if as_json:
        typer.echo(ident.model_dump_json(indent=2))
        return
    _card(ident, evidence)


def _card(ident, evidence: bool) -> None:  # type: ignore[no-untyped-def]
    p = ident.persona
    head = (
        f"user {ident.user.get('platform_id', '')} · pseudonym {ident.user.get('pseudonym')} · version "
        f"{ident.identity_version} · as of {ident.as_of:%Y-%m-%d %H:%M}Z"
    )
    out.print(
        Panel(
            f"{p.summary_en}\n{p.summary_zh}" if p else "(no analysis: AI-analysis consent not given)",
            title="AI identity",
            subtitle=head,
        )
    )
    if ident.skills:
        t = Table(
            "skill", "技能", "level", "years", "score", "sources" if evidence else "verified", title="Skills"
        )
        for s in ident.skills[:15]:
            t.add_row(
                s.name_en,
                s.name_zh,
                s.level,
                "" if s.years is None else f"{s.years:g}",
                f"{s.score:.2f}",
                ", ".join(sorted({e.source + ":" + e.store.split(":")[-1] for e in s.evidence}))
                if evidence
                else ("yes" if s.verified else ""),
            )
        out.print(t)
    t = Table("facet", "claim", "value", "confidence", *(["evidence"] if evidence else []), title="Claims")
    for facet in ("profile", "career", "behavior", "ai_preferences", "network", "personal"):
        claims = ident.career.claims() if facet == "career" else getattr(ident, facet)
        for k, c in claims.items():
            if isinstance(c, list) or not hasattr(c, "value"):
                continue
            v = json.dumps(c.value, ensure_ascii=False, default=str)
            row = [facet, k, v[:60] + ("…" if len(v) > 60 else ""), f"{c.confidence:.2f}"]
            if evidence:
                row.append("; ".join(f"{e.source}:{e.store} {e.record} .{e.field}" for e in c.evidence[:2]))
            t.add_row(*row)
    out.print(t)
    q = ident.quality
    out.print(
        f"quality: completeness {q.completeness:.0%}, confidence {q.confidence:.2f}"
        + (
            f", missing: {', '.join(f'{k} ({v})' for k, v in q.missing_facets.items())}"
            if q.missing_facets
            else ""
        )
        + (f", contradictions: {'; '.join(q.contradictions)}" if q.contradictions else "")
    )


@app.command()
def schema() -> None:
    """Print the identity document's JSON Schema."""
    from ai_identity.model.identity import Identity

    typer.echo(json.dumps(Identity.model_json_schema(), indent=2, ensure_ascii=False))
