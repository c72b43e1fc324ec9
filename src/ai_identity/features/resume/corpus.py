"""Readers for the labelled resume corpora: BMES character files and inline-tagged XML CVs.

Method: a BMES file has one ``char TAG`` per line and a blank line between sentences (ResumeNER). An XML CV
holds the resume text with inline ``<label type="T">span</label>`` tags (the dotin set); it is read with a
tolerant scanner, not an XML parser, so stray ampersands or unbalanced text do not lose the file. The plain
text keeps every character outside the tags (entities unescaped), and each label becomes a character span.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ai_identity.features.resume.tagging import Span

_TAG = re.compile(r"<label\s+type=\"([^\"]*)\"\s*>|</label\s*>|<\?xml[^>]*\?>|</?cv\s*>")


def read_bmes(path: str | Path) -> list[tuple[str, list[str]]]:
    """Read a ``char TAG`` per line file with blank lines between sentences."""
    out: list[tuple[str, list[str]]] = []
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    out.append(("".join(chars), tags))
                chars, tags = [], []
                continue
            parts = line.split()
            chars.append(parts[0][:1] if len(parts) > 1 else " ")
            tags.append(parts[-1] if len(parts) > 1 else parts[0])
    if chars:
        out.append(("".join(chars), tags))
    return out


def parse_tagged_xml(raw: str) -> tuple[str, list[Span]]:
    """Plain text and labelled spans of one inline-tagged CV."""
    parts: list[str] = []
    spans: list[Span] = []
    length = 0
    open_type: str | None = None
    open_at = 0
    pos = 0
    for m in _TAG.finditer(raw):
        chunk = html.unescape(raw[pos : m.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        token = m.group(0)
        if token.startswith("<label"):
            open_type, open_at = m.group(1), length
        elif token.startswith("</label") and open_type is not None:
            spans.append(Span(open_type, open_at, length))
            open_type = None
    chunk = html.unescape(raw[pos:])
    parts.append(chunk)
    text = "".join(parts)
    return text, _trim(text, spans)


def _trim(text: str, spans: list[Span]) -> list[Span]:
    """Drop surrounding white space from each span (annotators often include a trailing blank)."""
    out = []
    for sp in spans:
        s, e = sp.start, sp.end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Span(sp.type, s, e))
    return out


def read_tagged_xml_dir(folder: str | Path) -> list[tuple[str, str, list[Span]]]:
    """Every ``*.xml`` CV of a folder as (file name, text, spans), sorted by name."""
    out = []
    for path in sorted(Path(folder).glob("*.xml")):
        raw = path.read_text(encoding="utf-8", errors="replace")
        text, spans = parse_tagged_xml(raw)
        out.append((path.name, text, spans))
    return out
