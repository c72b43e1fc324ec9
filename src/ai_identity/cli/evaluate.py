"""CLI: score identities against the generator's ground truth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ai_identity.cli import app
from ai_identity.cli.platform import out


@app.command()
def evaluate(
    platform: Annotated[
        Path, typer.Option("--platform", help="A generated platform with built identities.")
    ] = Path("platform"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    personalization: Annotated[
        bool, typer.Option(help="Also measure personalization (held-out matching).")
    ] = True,
) -> None:
    """Score the built identities against the ground truth, beside a naive baseline."""
    from ai_identity.evaluation import FACETS
    from ai_identity.evaluation import evaluate as run

    ev = run(platform, with_personalization=personalization)
    if as_json:
        typer.echo(json.dumps(ev.as_dict(), indent=2))
        return
    t = Table(
        "facet",
        "identity",
        "baseline",
        title=f"Identity accuracy against the ground truth ({ev.users:,} users)",
    )
    for f in FACETS:
        t.add_row(f, f"{ev.facets[f]:.3f}", f"{ev.baseline_facets[f]:.3f}")
    t.add_row("[bold]overall[/]", f"[bold]{ev.overall:.3f}[/]", f"{ev.baseline:.3f}")
    out.print(t)
    d = ev.details
    out.print(
        f"skills precision {d['skills_precision']:.3f}, recall {d['skills_recall']:.3f}; years MAE "
        f"{d['years_mae']:.2f}; preferences by field {d['preferences_by_field']}"
    )
    if ev.personalization is not None:
        out.print(f"personalization (own identity ranked first on a held-out 20%): {ev.personalization:.1%}")
