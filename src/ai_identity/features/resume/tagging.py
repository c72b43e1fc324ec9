"""Tag-sequence helpers shared by the CRF taggers and the evaluator.

Method: BMES (B-/M-/E-/S-) and BIO tag sequences are decoded into ``(type, start, end)`` spans with the
conlleval convention — a span starts at ``B``/``S`` (or an ``I``/``M``/``E`` whose type differs from the
previous tag) and closes at ``E``/``S`` or at the next tag that does not continue it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """One labelled span over a sequence (characters or tokens): ``[start, end)``."""

    type: str
    start: int
    end: int


def _split(tag: str) -> tuple[str, str]:
    if tag in ("O", "", None):
        return "O", ""
    if len(tag) > 2 and tag[1] == "-":
        return tag[0], tag[2:]
    return "I", tag


def spans_from_tags(tags: list[str]) -> list[Span]:
    """Decode a BMES or BIO tag sequence into spans (conlleval chunking rules)."""
    spans: list[Span] = []
    cur_type: str | None = None
    cur_start = 0
    for i, tag in enumerate(tags):
        prefix, typ = _split(tag)
        starts = prefix in ("B", "S") or (prefix in ("I", "M", "E") and typ != cur_type)
        if cur_type is not None and (prefix == "O" or starts):
            spans.append(Span(cur_type, cur_start, i))
            cur_type = None
        if prefix == "O":
            continue
        if cur_type is None:
            cur_type, cur_start = typ, i
        if prefix in ("E", "S"):
            spans.append(Span(cur_type, cur_start, i + 1))
            cur_type = None
    if cur_type is not None:
        spans.append(Span(cur_type, cur_start, len(tags)))
    return spans


def tags_from_spans(length: int, spans: list[Span], scheme: str = "BIO") -> list[str]:
    """Encode spans as BIO (tokens) or BMES (characters) tags of ``length`` positions."""
    tags = ["O"] * length
    for sp in spans:
        n = sp.end - sp.start
        if n <= 0:
            continue
        if scheme == "BMES":
            if n == 1:
                tags[sp.start] = f"S-{sp.type}"
                continue
            tags[sp.start] = f"B-{sp.type}"
            for k in range(sp.start + 1, sp.end - 1):
                tags[k] = f"M-{sp.type}"
            tags[sp.end - 1] = f"E-{sp.type}"
        else:
            tags[sp.start] = f"B-{sp.type}"
            for k in range(sp.start + 1, sp.end):
                tags[k] = f"I-{sp.type}"
    return tags
