"""``parse_resume``: resume text → ``ParsedResume`` (the seed's ``parsed_resume_data``).

Method: a pipeline of small stages, each in its own module —
  language (share of Han characters) → sections (``segment``) → the English CRF over the whole text when the
  resume has Latin text, the Chinese CRF over short windows (the opening lines and entry headers) →
  personal information (``personal``) → dated entries (``entries``) → skills and certifications
  (``skills``) → keywords and an overall confidence.
The trained models are loaded once from ``ai_identity/data/models``; when a model file is missing the parser
still runs on its rules and says so in ``issues``. Any unexpected failure on odd text is caught and returned
as an empty result with the reason in ``issues``: ``parse_resume`` never raises.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from ai_identity.features.resume import entries as ent
from ai_identity.features.resume.models import ParsedResume, PersonalInfo
from ai_identity.features.resume.personal import find_personal
from ai_identity.features.resume.segment import find_sections
from ai_identity.features.resume.skills import find_certifications, find_skills
from ai_identity.features.resume.tagging import Span

PARSING_VERSION = "resume-parser/1.0 (crf-zh-2, crf-en-3)"
MAX_CHARS = 200_000
MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "models"

_HAN = re.compile(
    r"[\u4e00-\u9fff]+"
)  # runs, not single characters: a few hundred matches instead of thousands
_LATIN = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def zh_tagger() -> Any | None:
    """The Chinese CRF, loaded once; None when its model file is absent."""
    from ai_identity.features.resume.crf_zh import MODEL_NAME, ZhTagger

    return ZhTagger(MODEL_DIR) if (MODEL_DIR / MODEL_NAME).exists() else None


@lru_cache(maxsize=1)
def en_tagger() -> Any | None:
    """The English CRF, loaded once; None when its model file is absent."""
    from ai_identity.features.resume.crf_en import MODEL_NAME, EnTagger

    return EnTagger(MODEL_DIR) if (MODEL_DIR / MODEL_NAME).exists() else None


def detect_language(text: str) -> str:
    """ "zh", "en" or "mixed" from the share of Han characters among letters."""
    han = sum(map(len, _HAN.findall(text)))
    latin = sum(map(len, _LATIN.findall(text)))
    if han + latin == 0:
        return "en"
    share = han / (han + latin / 4)  # about four Latin letters per word against one Han character
    if share >= 0.8:
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"


def parse_resume(text: str, *, lang: str | None = None) -> ParsedResume:
    """Parse one resume's text. Never raises: odd input gives an empty result with ``issues`` set."""
    if not isinstance(text, str):
        return ParsedResume(parsing_version=PARSING_VERSION, issues=["not_text: expected str"])
    if not text.strip():
        return ParsedResume(parsing_version=PARSING_VERSION, issues=["empty: no text"])
    issues: list[str] = []
    if len(text) > MAX_CHARS:
        issues.append(f"truncated: only the first {MAX_CHARS} characters were parsed")
        text = text[:MAX_CHARS]
    try:
        return _parse(text, lang, issues)
    except Exception as exc:  # a parser bug must not stop a batch; the kind of failure is reported
        return ParsedResume(
            parsing_version=PARSING_VERSION, issues=[*issues, f"internal_error: {type(exc).__name__}"]
        )


def personal_info(text: str) -> PersonalInfo:
    """Only the resume's personal information (name, e-mail, phone, location), found as ``parse_resume`` finds
    it but tagging the opening only: what the collector masks before a text read to derive claims leaves it."""
    if not isinstance(text, str) or not text.strip():
        return PersonalInfo()
    language = detect_language(text)
    zt, et = zh_tagger(), en_tagger()
    head = text[:300]
    zh_head: list[tuple[Span, float]] = list(zt.tag(head)) if zt is not None and language != "en" else []
    en_head: list[tuple[Span, float]] = et.tag(head, with_confidence=True) if et and language != "zh" else []
    return find_personal(text, zh_head, en_head)


def _parse(text: str, lang: str | None, issues: list[str]) -> ParsedResume:
    language = lang if lang in ("zh", "en", "mixed") else detect_language(text)
    sections = find_sections(text)
    zt, et = zh_tagger(), en_tagger()
    if language != "en" and zt is None:
        issues.append("model_missing: Chinese CRF, rules only")
    if language != "zh" and et is None:
        issues.append("model_missing: English CRF, rules only")
    en_spans: list[tuple[Span, float]] = et.tag(text, with_confidence=True) if et and language != "zh" else []
    # Entry detection and field filling ask about the same lines: tag each distinct line once.
    zh_tag = (
        lru_cache(maxsize=512)(lambda s: tuple(zt.tag(s))) if zt is not None and language != "en" else None
    )
    zh_head: list[tuple[Span, float]] = list(zh_tag(text[:300])) if zh_tag else []
    personal = find_personal(text, zh_head, en_spans)
    work, edu, projects = [], [], []
    for block in ent.find_blocks(text, sections, zh_tag):
        if block.kind == "work":
            work.append(ent.build_work(text, block, zh_tag, en_spans))
        elif block.kind == "education":
            edu.append(ent.build_edu(text, block, zh_tag, en_spans))
        elif block.kind == "projects":
            projects.append(ent.build_project(text, block))
    if not edu and language == "en":
        edu = _undated_education(text, en_spans)
    elif not edu:
        edu = ent.undated_education(text)
    skills = find_skills(text, sections, en_spans)
    certs = find_certifications(text, sections)
    keywords = _keywords(work, skills)
    found = [personal.name, personal.email, personal.phone]
    conf_parts = [0.3 * (len(sections) > 1), 0.2 * bool(work or edu), 0.2 * bool(skills)]
    conf_parts.append(0.3 * sum(x is not None for x in found) / 3)
    if not work and not edu:
        issues.append("no_entries: no dated work or education entry was found")
    return ParsedResume(
        personal_info=personal,
        work_experience=work,
        education=edu,
        skills=skills,
        projects=projects,
        certifications=certs,
        keywords=keywords,
        sections=sections,
        language=language,  # type: ignore[arg-type]
        confidence=round(sum(conf_parts), 3),
        parsing_version=PARSING_VERSION,
        issues=issues,
    )


def _undated_education(text: str, en_spans: list[tuple[Span, float]]) -> list[ent.EduEntry]:
    """English resumes often list a degree and a college with only a year: one entry per College span."""
    out = []
    for sp, conf in en_spans:
        if sp.type != "College Name":
            continue
        item = ent.SpanItem(
            value=text[sp.start : sp.end], start=sp.start, end=sp.end, confidence=round(conf, 3)
        )
        degree = next(
            ((d, c) for d, c in en_spans if d.type == "Degree" and abs(d.start - sp.start) < 300), None
        )
        deg_item = None
        if degree:
            d, c = degree
            deg_item = ent.SpanItem(
                value=text[d.start : d.end], start=d.start, end=d.end, confidence=round(c, 3)
            )
        out.append(
            ent.EduEntry(
                school=item,
                degree=deg_item,
                level=ent.level_of(deg_item.value) if deg_item else None,
                span_start=min(sp.start, deg_item.start if deg_item else sp.start),
                span_end=max(sp.end, deg_item.end if deg_item else sp.end),
                confidence=round(conf * 0.8, 3),
            )
        )
    return out


def _keywords(work: list[Any], skills: list[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for w in work:
        if w.title is not None:
            seen.setdefault(w.title.value.strip(), None)
    for s in skills:
        seen.setdefault(s.surface.strip(), None)
    return [k for k in seen if k][:30]
