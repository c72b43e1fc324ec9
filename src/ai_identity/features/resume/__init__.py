"""Resume understanding in Chinese and English: text extraction, sections, entities, entries, skills.

from ai_identity.features.resume import parse_resume, extract_text
parsed = parse_resume(extract_text("cv.pdf").text)
"""

from __future__ import annotations

from ai_identity.features.resume.extract import ExtractedText, ResumeInputError, extract_text
from ai_identity.features.resume.models import (
    CertificationItem,
    EduEntry,
    ParsedResume,
    PersonalInfo,
    ProjectEntry,
    Section,
    SkillItem,
    SpanItem,
    WorkEntry,
)
from ai_identity.features.resume.parser import PARSING_VERSION, parse_resume

__all__ = [
    "PARSING_VERSION",
    "CertificationItem",
    "EduEntry",
    "ExtractedText",
    "ParsedResume",
    "PersonalInfo",
    "ProjectEntry",
    "ResumeInputError",
    "Section",
    "SkillItem",
    "SpanItem",
    "WorkEntry",
    "extract_text",
    "parse_resume",
]
