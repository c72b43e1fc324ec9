"""CLI commands of the resume parser: ``eval-parser`` and ``parse-resume``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from ai_identity.cli import app
from ai_identity.errors import UsageError


@app.command("eval-parser")
def eval_parser(
    path: Annotated[
        Path, typer.Argument(help="a BMES file (ResumeNER), a folder of XML CVs (dotin) or of raw resumes")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON instead of a table")] = False,
) -> None:
    """Score entity extraction (exact-span P/R/F1 per type) or smoke-run a folder of raw resumes."""
    from ai_identity.features.resume import evaluate

    if not path.exists():
        raise UsageError(f"eval-parser: {path} does not exist")
    if path.is_dir() and not any(path.glob("*.xml")):
        result = evaluate.smoke_folder(path)
        _print_smoke(result, as_json)
        return
    if path.is_dir():
        result = evaluate.evaluate_xml_dir(path, _en_tag())
    else:
        result = evaluate.evaluate_bmes(path, _zh_tag())
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    _print_table(result)


def _zh_tag() -> Any:
    from ai_identity.features.resume.parser import zh_tagger

    tagger = zh_tagger()
    if tagger is None:
        raise UsageError(
            "eval-parser: the Chinese CRF model is not installed (run scripts/train_parser.py zh)"
        )
    return tagger.tag_labels


def _en_tag() -> Any:
    from ai_identity.features.resume.parser import en_tagger

    tagger = en_tagger()
    if tagger is None:
        raise UsageError(
            "eval-parser: the English CRF model is not installed (run scripts/train_parser.py en)"
        )
    return lambda text: [sp for sp, _conf in tagger.tag(text)]


def _print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="exact-span entity scores")
    for col in ("type", "precision", "recall", "F1", "support"):
        table.add_column(col, justify="left" if col == "type" else "right")
    for typ, s in result["per_type"].items():
        table.add_row(typ, f"{s['precision']:.4f}", f"{s['recall']:.4f}", f"{s['f1']:.4f}", str(s["support"]))
    for typ, s in result.get("combined", {}).items():
        table.add_row(typ, f"{s['precision']:.4f}", f"{s['recall']:.4f}", f"{s['f1']:.4f}", str(s["support"]))
    m = result["micro"]
    table.add_row("micro", f"{m['precision']:.4f}", f"{m['recall']:.4f}", f"{m['f1']:.4f}", "")
    Console().print(table)


def _print_smoke(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
        return
    for row in result["per_file"]:
        if "error" in row:
            typer.echo(f"FAIL  {row['file']}: {row['error']}")
        else:
            secs = ",".join(row["sections"])
            typer.echo(
                f"ok    {row['file']}: work={row['work']} education={row['education']} sections={secs}"
            )
    typer.echo(f"{result['files']} files, {result['failures']} failures")


@app.command("parse-resume")
def parse_resume_cmd(
    file: Annotated[Path, typer.Argument(help="a .txt, .pdf or .docx resume")],
    as_json: Annotated[bool, typer.Option("--json", help="print the whole ParsedResume as JSON")] = False,
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh, en or mixed (detected when omitted)")
    ] = None,
) -> None:
    """Parse one resume file and print its structure (contains personal data: handle the output with care)."""
    from ai_identity.features.resume import extract_text, parse_resume

    if lang not in (None, "zh", "en", "mixed"):
        raise UsageError("parse-resume --lang: expected zh, en or mixed")
    parsed = parse_resume(extract_text(file).text, lang=lang)
    if as_json:
        typer.echo(parsed.model_dump_json(indent=2))
        return
    typer.echo(
        f"language {parsed.language}  confidence {parsed.confidence}  version {parsed.parsing_version}"
    )
    typer.echo("sections: " + ", ".join(f"{s.kind}({s.header or '-'})" for s in parsed.sections))
    for w in parsed.work_experience:
        end = "present" if w.is_current else w.end
        typer.echo(f"work  {w.start}..{end}  {_v(w.company)} | {_v(w.title)}")
    for e in parsed.education:
        typer.echo(f"edu   {e.start}..{e.end}  {_v(e.school)} | {_v(e.degree)} ({e.level}) | {_v(e.major)}")
    typer.echo("skills: " + ", ".join(s.surface for s in parsed.skills[:40]))
    for issue in parsed.issues:
        typer.echo(f"issue: {issue}")


def _v(item: Any) -> str:
    return item.value if item is not None else "-"
