"""CLI commands over a platform: generate, read (source report), and later build/show/evaluate/demo."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ai_identity.cli import app
from ai_identity.errors import UsageError

err = Console(stderr=True)
out = Console()


def parse_time(value: str | None, option: str) -> datetime | None:
    """An ISO-8601 time from the command line; a naive time is taken as UTC."""
    if value is None:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{option}: expected an ISO-8601 time such as 2026-11-01T12:00:00Z") from None
    if t.tzinfo is None:
        from datetime import UTC

        t = t.replace(tzinfo=UTC)
    return t


@contextmanager
def progress_bar(enabled: bool = True):  # type: ignore[no-untyped-def]
    """A rich progress bar on stderr; yields a ``tick(stage, done, total)`` callback."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    with Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}  # stage -> rich TaskID

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield tick


@app.command()
def generate(
    users: Annotated[int, typer.Option("--users", help="Number of users to generate.")] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed: the same seed gives the same platform.")
    ] = 1,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the platform into.")] = Path(
        "platform"
    ),
    as_of: Annotated[str | None, typer.Option("--as-of", help="The platform's 'now' (ISO-8601).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the folder if it is not empty.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Generate a synthetic platform in the embedded layout, with a separate ground truth (in _truth/)."""
    from ai_identity.synth.writer import DEFAULT_AS_OF
    from ai_identity.synth.writer import generate as run

    moment = parse_time(as_of, "--as-of") or DEFAULT_AS_OF
    with progress_bar(not as_json) as tick:
        report = run(out_dir, users, seed, moment, force=force, progress=tick)
    if as_json:
        typer.echo(json.dumps(report.__dict__, indent=2, default=str))
        return
    out.print(
        f"[bold]Generated[/] {report.users:,} users, {report.events:,} events, {report.sessions:,} sessions "
        f"into {out_dir} in {report.seconds:.1f} s"
    )
    t = Table("measure", "value", title="How varied and how imperfect")
    for k, v in report.shares.items():
        t.add_row(k, f"{v:.1%}" if isinstance(v, float) else f"{v:,}")
    out.print(t)
    t = Table(
        "imperfection",
        "target",
        "injected",
        "of",
        "realised",
        title="Injected imperfections (docs/embedded-layout.md)",
    )
    for k, v in report.injections.items():
        t.add_row(
            k, f"{v['target_rate']:.1%}", f"{v['injected']:,}", f"{v['eligible']:,}", f"{v['rate']:.2%}"
        )
    out.print(t)
