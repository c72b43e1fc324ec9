"""CLI: ``ai-identity quality`` (the seed's metrics and gates), ``quality sample`` and ``quality agreement``.

Exit status: 0 when every measured gate passes, 1 when one fails, 2 for a usage error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ai_identity.cli import app
from ai_identity.errors import UsageError

if TYPE_CHECKING:
    from ai_identity.quality.gates import QualityRun

quality_app = typer.Typer(
    help="Data quality: the seed's metrics, gates, report and human evaluation.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
)
app.add_typer(quality_app, name="quality", invoke_without_command=True)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    return f"{value:.2%}" if unit == "share" else f"{value:g} {'h' if unit == 'hours' else 's'}"


@quality_app.callback(invoke_without_command=True)
def quality(
    ctx: typer.Context,
    platform: Annotated[Path | None, typer.Option("--platform", help="An embedded platform folder.")] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help='A platform config file (TOML) naming the platform folder as `platform = "DIR"`.'
        ),
    ] = None,
    thresholds: Annotated[
        Path | None,
        typer.Option(
            "--thresholds", help="TOML/JSON overriding the gates' thresholds and the checks' parameters."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a self-contained HTML report.")
    ] = None,
    identities: Annotated[
        Path | None,
        typer.Option(
            "--identities",
            help="Identity store for relevance (default <platform>/identity/identities.sqlite).",
        ),
    ] = None,
) -> None:
    """Measure the platform's data quality against the seed's thresholds; exit 1 when a gate fails."""
    if ctx.invoked_subcommand is not None:
        return
    from ai_identity.quality.config import load_config
    from ai_identity.quality.gates import evaluate

    root = _platform_dir(platform, config)
    cfg = load_config(thresholds)
    run = evaluate(root, cfg, identities)
    if html is not None:
        from ai_identity.quality.report import write_html

        write_html(run, html, cfg)
    if as_json:
        typer.echo(json.dumps(run.as_dict(cfg.worst_records), indent=2, default=str))
    else:
        _print_table(run)
    raise typer.Exit(0 if run.passed else 1)


def _platform_dir(platform: Path | None, config: Path | None) -> Path:
    if platform is None and config is not None:
        import tomllib

        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"--config: cannot read {config.name}: {exc}") from exc
        value = data.get("platform") or data.get("sources", {}).get("platform")
        if not isinstance(value, str):
            raise UsageError(f'--config: {config.name} has no `platform = "DIR"` key')
        platform = (config.parent / value).resolve()
    if platform is None:
        raise UsageError("--platform: required (or --config naming the platform folder)")
    if not platform.is_dir():
        raise UsageError(f"--platform: {platform} is not a folder")
    return platform


def _print_table(run: QualityRun) -> None:
    from ai_identity.cli.platform import out

    t = Table(
        "metric",
        "value",
        "threshold",
        "result",
        "worst sources / fields / checks",
        title=f"Data quality of {Path(run.platform).name} (as of {run.as_of:%Y-%m-%d %H:%M} UTC, "
        f"{run.as_of_source})",
    )
    colour = {"pass": "green", "fail": "red"}
    for g in run.gates:
        unit = run.metrics[g.metric].unit
        thr = "—" if g.threshold is None else f"{g.op} {_fmt(g.threshold, unit)}"
        c = colour.get(g.status, "yellow")
        t.add_row(g.metric, _fmt(g.value, unit), thr, f"[{c}]{g.status}[/]", "; ".join(g.worst) or g.note)
    out.print(t)
    n = sum(c.n_failed for c in run.checks)
    out.print(
        f"{n:,} failing records over {len(run.checks)} checks; "
        f"{'all measured gates pass' if run.passed else 'a gate fails'}"
    )


@quality_app.command("sample")
def sample(
    platform: Annotated[Path, typer.Option("--platform", help="A platform with built identities.")],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the sample (.csv or .jsonl).")],
    n: Annotated[int, typer.Option("--n", help="How many identities to sample.")] = 100,
    stratify: Annotated[
        str, typer.Option("--stratify", help="Comma-separated: industry, language, seniority, activity.")
    ] = "industry,language",
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the draw.")] = 0,
    identities: Annotated[Path | None, typer.Option("--identities", help="Identity store path.")] = None,
) -> None:
    """Write a stratified sample of identity claims with their evidence, for annotators."""
    from ai_identity.quality.human import sample_claims, write_sample

    keys = [s.strip() for s in stratify.split(",") if s.strip()]
    store = identities or platform / "identity" / "identities.sqlite"
    rows = sample_claims(store, n, keys, seed)
    write_sample(rows, out_file)
    typer.echo(f"{len(rows)} claims of {len({r['user_id'] for r in rows})} identities written to {out_file}")


@quality_app.command("agreement")
def agreement_cmd(
    files: Annotated[list[Path], typer.Argument(help="Two or more annotators' labelled files.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Accuracy per claim type and inter-annotator agreement (Cohen's kappa / Krippendorff's alpha)."""
    from ai_identity.quality.human import agreement

    for f in files:
        if not f.is_file():
            raise UsageError(f"FILES: {f} is not a file")
    res = agreement(files)
    if as_json:
        typer.echo(json.dumps(res.__dict__, indent=2))
        return
    value = "n/a" if res.value is None else f"{res.value:.3f}"
    typer.echo(f"{res.annotators} annotators, {res.items} items labelled by all; {res.statistic} = {value}")
    for k, v in res.accuracy.items():
        typer.echo(f"  {k:32} {v:.1%} correct")
    if res.overall_accuracy is not None:
        typer.echo(f"  {'overall':32} {res.overall_accuracy:.1%} correct")
