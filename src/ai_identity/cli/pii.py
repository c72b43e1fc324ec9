"""CLI commands: ``pii scan`` and ``pii redact`` over JSON lines on stdin.

Each non-blank input line is a JSON object with a string ``text``; each gives exactly one output line. A
malformed line gives ``{"line": n, "error": ...}`` and the command exits 1 after the last line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ai_identity.cli import app
from ai_identity.errors import RecordError, UsageError
from ai_identity.privacy.pii import (
    ENTITY_TYPES,
    HmacKey,
    KeyedHash,
    Mask,
    Operator,
    PIIDetector,
    Replace,
    redact,
)

pii_app = typer.Typer(
    help="Detect and redact personal data (phones, IDs, e-mail, cards, IPs, URLs, addresses, names) "
    "in Chinese and English text given as JSON lines with a `text` field on stdin.",
    no_args_is_help=True,
)
app.add_typer(pii_app, name="pii")

EXPECTED = 'a JSON object with a string "text"'

ThresholdOpt = Annotated[
    float | None,
    typer.Option("--threshold", min=0.0, max=1.0, help="Minimum score to report (default 0.5)."),
]
EntitiesOpt = Annotated[
    str | None,
    typer.Option(
        "--entities", help=f"Comma-separated types to detect (default all: {', '.join(ENTITY_TYPES)})."
    ),
]


class OperatorName(StrEnum):
    REPLACE = "replace"
    MASK = "mask"
    HASH = "hash"


def _detector(entities: str | None) -> PIIDetector:
    if entities is None:
        return PIIDetector()
    wanted = [e.strip().upper() for e in entities.split(",") if e.strip()]
    unknown = [e for e in wanted if e not in ENTITY_TYPES]
    if unknown or not wanted:
        raise UsageError(f"--entities: unknown type(s) {unknown}; expected some of {list(ENTITY_TYPES)}")
    return PIIDetector(entities=wanted)


def _records() -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, parsed object) or (line number, error message) for each non-blank stdin line."""
    for number, raw in enumerate(sys.stdin, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError:
            yield number, f"line {number}: not valid JSON; expected {EXPECTED}"
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            yield number, f"line {number}: expected {EXPECTED}"
            continue
        yield number, obj


def _run(handle: Callable[[str], dict[str, Any]]) -> None:
    bad = 0
    for number, record in _records():
        if isinstance(record, str):
            bad += 1
            out: dict[str, Any] = {"line": number, "error": record}
        else:
            out = {"id": record["id"]} if "id" in record else {}
            out.update(handle(record["text"]))
        typer.echo(json.dumps(out, ensure_ascii=False))
    if bad:
        raise RecordError("stdin", "text", f"{EXPECTED} on every line ({bad} line(s) were not)")


@pii_app.command()
def scan(threshold: ThresholdOpt = None, entities: EntitiesOpt = None) -> None:
    """Print one JSON line per input line with its detected `entities` (type, start, end, score)."""
    detector = _detector(entities)
    _run(lambda text: {"entities": [e.to_dict() for e in detector.analyze(text, threshold=threshold)]})


def _operator(name: OperatorName, key_file: Path | None, keep_last: int) -> Operator:
    if name is OperatorName.MASK:
        return Mask(keep_last=keep_last)
    if name is OperatorName.HASH:
        if key_file is None:
            raise UsageError("--key-file: required with --operator hash (a file holding the HMAC secret)")
        try:
            secret = key_file.read_bytes().strip()
        except OSError as exc:
            raise UsageError("--key-file: expected a readable file holding the HMAC secret") from exc
        return KeyedHash(HmacKey(secret))
    return Replace()


@pii_app.command("redact")
def redact_cmd(
    threshold: ThresholdOpt = None,
    entities: EntitiesOpt = None,
    operator: Annotated[
        OperatorName, typer.Option("--operator", help="replace: <TYPE>; mask: ****; hash: <TYPE:hmac>.")
    ] = OperatorName.REPLACE,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", help="File holding the HMAC secret for --operator hash.")
    ] = None,
    keep_last: Annotated[
        int, typer.Option("--keep-last", min=0, help="Characters --operator mask keeps.")
    ] = 0,
) -> None:
    """Print one JSON line per input line with the redacted `text` and the replaced `items`."""
    detector = _detector(entities)
    op = _operator(operator, key_file, keep_last)

    def handle(text: str) -> dict[str, Any]:
        result = redact(text, detector.analyze(text, threshold=threshold), operator=op)
        items = [{"type": i.type, "start": i.start, "end": i.end} for i in result.items]
        return {"text": result.text, "items": items}

    _run(handle)
