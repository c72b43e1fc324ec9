"""Skills, certifications and keywords of a resume.

Method: inside skills sections the text is split into items at list separators (、，,;；/ bullets, line
ends); each short item is a skill. Items and the whole resume are matched against the project's bilingual
skill taxonomy (``ai_identity.features.taxonomy``) when it is installed, which sets ``skill_id``; the English
CRF's Tech Tools / Job Specific Skills spans add skills found in running text. Certifications are the short
lines of certification sections (and "证书：…" fields), with their date when one is written.
"""

from __future__ import annotations

import re
from typing import Any

from ai_identity.features.resume.dates import find_dates
from ai_identity.features.resume.models import CertificationItem, Section, SkillItem
from ai_identity.features.resume.tagging import Span

_ITEM_SPLIT = re.compile(r"[、，,;；/|｜\n\t•·●■◆▪]+|\s{2,}|：|:|（|）|\(|\)")
_NOT_SKILL = re.compile(r"^[\d\s.%年月个]+$|熟练|精通|掌握|了解|良好|一般|years?|months?", re.IGNORECASE)
_CERT_FIELD = re.compile(r"(?:所获证书|获得证书|证书名称|资格证书)\s*[:：]\s*([^\n|｜\t]{2,40})")
_LABEL = re.compile(r"^[^\s:：]{2,6}\s*[:：]")
_BULLET = re.compile(r"^(?:[\s　\-–•·●■◆▪*]+|\d{1,2}[、.)．]\s*)+")


def _taxonomy() -> Any | None:
    try:
        from ai_identity.features.taxonomy import load_taxonomy
    except ImportError:
        return None
    try:
        return load_taxonomy()
    except Exception:  # a broken or missing taxonomy file must not stop parsing
        return None


_TAX: list[Any] = []


def taxonomy() -> Any | None:
    """The skill taxonomy, loaded once; None while the module or its data is absent."""
    if not _TAX:
        _TAX.append(_taxonomy())
    return _TAX[0]


def find_skills(text: str, sections: list[Section], en_spans: list[tuple[Span, float]]) -> list[SkillItem]:
    """Skills from skills sections, the taxonomy over the whole text, and the English CRF."""
    tax = taxonomy()
    found: dict[tuple[int, int], SkillItem] = {}
    if tax is not None:
        try:
            for m in tax.find_mentions(text):
                found[(m.start, m.end)] = SkillItem(
                    skill_id=m.skill_id,
                    surface=text[m.start : m.end],
                    start=m.start,
                    end=m.end,
                    confidence=round(min(max(float(m.score), 0.0), 1.0), 3),
                    method=f"taxonomy:{m.method}",
                )
        except Exception:  # keep the rest of the parse when the matcher fails on odd text
            pass
    for sec in sections:
        if sec.kind != "skills":
            continue
        for s, e in _items(text, sec):
            if any(s < k[1] and e > k[0] for k in found):
                continue
            skill_id = _lookup(tax, text[s:e])
            found[(s, e)] = SkillItem(
                skill_id=skill_id,
                surface=text[s:e],
                start=s,
                end=e,
                confidence=0.8 if skill_id else 0.55,
                method="section",
            )
    for sp, conf in en_spans:
        if sp.type in ("Tech Tools", "Job Specific Skills") and not any(
            sp.start < k[1] and sp.end > k[0] for k in found
        ):
            surface = text[sp.start : sp.end]
            skill_id = _lookup(tax, surface)
            found[(sp.start, sp.end)] = SkillItem(
                skill_id=skill_id,
                surface=surface,
                start=sp.start,
                end=sp.end,
                confidence=round(conf * 0.9, 3),
                method="crf",
            )
    return sorted(found.values(), key=lambda x: x.start)


def _lookup(tax: Any | None, surface: str) -> str | None:
    if tax is None:
        return None
    try:
        hit = tax.lookup(surface)
    except Exception:
        return None
    return getattr(hit, "skill_id", None) or getattr(hit, "id", None) if hit is not None else None


def _items(text: str, sec: Section) -> list[tuple[int, int]]:
    out = []
    pos = text.find("\n", sec.start)
    pos = sec.end if pos < 0 or pos > sec.end else pos
    for m in re.finditer(r"[^、，,;；/|｜\n\t•·●■◆▪:：（）()]+", text[pos : sec.end]):
        s, e = pos + m.start(), pos + m.end()
        while s < e and text[s] in " 　-–*.。0123456789":
            s += 1
        while e > s and text[e - 1] in " 　-–*.。":
            e -= 1
        item = text[s:e]
        if 1 < len(item) <= 30 and not _NOT_SKILL.search(item) and len(item.split()) <= 4:
            out.append((s, e))
    return out[:200]


def find_certifications(text: str, sections: list[Section]) -> list[CertificationItem]:
    """Short lines of certification sections and 证书 fields, with a date when one is on the line."""
    out: list[CertificationItem] = []
    seen: set[str] = set()
    for m in _CERT_FIELD.finditer(text):
        _add_cert(out, seen, text, m.start(1), m.start(1) + len(m.group(1).rstrip()), 0.8)
    for sec in sections:
        if sec.kind != "certifications":
            continue
        pos = text.find("\n", sec.start)
        pos = sec.end if pos < 0 or pos > sec.end else pos + 1
        for line in text[pos : sec.end].splitlines(keepends=True):
            body = line.rstrip("\r\n")
            lead = _BULLET.match(body)
            s = pos + (lead.end() if lead else 0)
            e = pos + len(body.rstrip())
            seg = text[s:e]
            if 2 <= len(seg) <= 60 and not re.fullmatch(r"[\d\s./\-年月]+", seg) and not _LABEL.match(seg):
                _add_cert(out, seen, text, s, e, 0.7)
            pos += len(line)
    return out


def _add_cert(out: list[CertificationItem], seen: set[str], text: str, s: int, e: int, conf: float) -> None:
    dates = find_dates(text[s:e])
    if dates and dates[0].start == 0:  # "2008/12 上海市人事岗位资格证书": the name follows the date
        s2 = s + dates[0].end
        while s2 < e and text[s2] in " \t　:：-":
            s2 += 1
        date = f"{dates[0].year:04d}-{dates[0].month:02d}" if dates[0].month else f"{dates[0].year:04d}"
        s = s2
    else:
        date = None
    name = text[s:e]
    if len(name) < 2 or name in seen:
        return
    seen.add(name)
    out.append(CertificationItem(name=name, start=s, end=e, date=date, confidence=conf))
