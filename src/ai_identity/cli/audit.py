"""CLI commands: ``audit verify`` (walk the hash chain) and ``audit tail`` (show the latest entries)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ai_identity.cli import app

audit_app = typer.Typer(help="The hash-chained audit log of consent, erasure, export and DP events.")
app.add_typer(audit_app, name="audit")

PlatformOpt = Annotated[Path, typer.Option("--platform", help="Platform folder in the embedded layout.")]
AuditOpt = Annotated[
    Path | None,
    typer.Option("--audit", help="Audit log file (default <platform>/identity/audit.sqlite)."),
]


def _path(platform: Path, audit: Path | None) -> Path:
    from ai_identity.errors import UsageError
    from ai_identity.privacy.audit import default_audit_path

    path = audit or default_audit_path(platform)
    if not path.exists():
        raise UsageError(f"--audit: no audit log at {path}")
    return path


@audit_app.command()
def verify(
    platform: PlatformOpt,
    audit: AuditOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Check every entry's hash and link; exit 1 naming the first bad seq when the chain is broken."""
    from ai_identity.privacy.audit import AuditLog

    with AuditLog(_path(platform, audit)) as log:
        result = log.verify()
    if as_json:
        typer.echo(json.dumps({**asdict(result), "ok": result.ok}))
    elif result.ok:
        typer.echo(f"audit log intact: {result.entries} entries, head {result.head_hash}")
    else:
        typer.echo(f"audit log broken at seq {result.first_bad_seq}: {result.reason}", err=True)
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command()
def tail(
    platform: PlatformOpt,
    audit: AuditOpt = None,
    n: Annotated[int, typer.Option("-n", help="How many entries.")] = 20,
) -> None:
    """Print the last entries as JSON lines (users appear only as tokens)."""
    from ai_identity.privacy.audit import AuditLog

    with AuditLog(_path(platform, audit)) as log:
        entries = log.entries()[-n:] if n > 0 else []
    for entry in entries:
        typer.echo(json.dumps(asdict(entry), ensure_ascii=False))
