"""Career facet: history, current role, seniority, total years, trajectory, education and industries.

Method. Work entries come from our parse of the resume text (companies, titles, date ranges in either
language), the platform's earlier parse (``parsed_resume_data.work_experience``) and ``WORKED_AT`` edges;
entries naming the same company (normalised) merge, the resume text's fields winning and gaps filled from the
others. Entries that end before they start are dropped and reported. The current role is the open entry with
the latest start (else the latest); candidate titles from each source vote, weighted by source priority.
Seniority is read from title words in both languages (director/head/总监/负责人 → lead; senior/高级/资深 →
senior; junior/assistant/初级/助理 → junior; else mid), falling back to years in work. Total years is the
length of the union of the entries' intervals up to the cut-off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ai_identity.model.identity import Career, Claim, EducationClaim, Evidence, JobClaim

EDU_RANK = {"high_school": 0, "associate": 1, "bachelor": 2, "master": 3, "phd": 4}
_LEAD = re.compile(
    r"\b(director|head|chief|vp|vice president|lead|principal|cto|ceo|cfo|coo)\b|总监|负责人|首席|主管|总经理|财务经理",
    re.IGNORECASE,
)
_SENIOR = re.compile(r"\b(senior|sr\.?|staff)\b|高级|资深", re.IGNORECASE)
_JUNIOR = re.compile(
    r"\b(junior|jr\.?|assistant|associate|intern|trainee|graduate|representative)\b|初级|助理|实习|代表",
    re.IGNORECASE,
)
_MANAGER_IC = re.compile(
    r"\b(product|project|account|program|key account)\s+manager\b|产品经理|项目经理|客户经理", re.IGNORECASE
)
_MANAGER = re.compile(r"\bmanager\b|经理", re.IGNORECASE)
_RESUME_SUFFIX = re.compile(r"\s*[-·|–—]\s*(resume|cv|简历)\s*$", re.IGNORECASE)
_EDU_WORDS = (
    ("phd", ("phd", "ph.d", "doctor", "博士")),
    ("master", ("master", "msc", "m.s", "mba", "meng", "硕士", "研究生")),
    ("bachelor", ("bachelor", "bsc", "b.s", "b.a", "beng", "学士", "本科")),
    ("associate", ("associate", "diploma", "大专", "专科")),
    ("high_school", ("high school", "高中")),
)


def seniority_of(title: str | None) -> str | None:
    if not title:
        return None
    if _LEAD.search(title):
        return "lead"
    if _SENIOR.search(title):
        return "senior"
    if _JUNIOR.search(title):
        return "junior"
    if _MANAGER.search(title) and not _MANAGER_IC.search(title):
        return "lead"
    return "mid"


def seniority_from_years(years: float | None) -> str:
    if years is None:
        return "mid"
    return "junior" if years < 2 else "mid" if years < 5 else "senior" if years < 10 else "lead"


def normalize_title(title: str | None) -> str:
    return re.sub(r"[\s\-_/·,，.]+", " ", (title or "").strip().lower()).strip()


def _company_key(name: str | None) -> str:
    return re.sub(r"[\s,.，。()（）]|(inc|ltd|llc|co|有限公司|公司)$", "", (name or "").lower())


def edu_level(text: str | None) -> str | None:
    if not text:
        return None
    t = text.lower()
    if t in EDU_RANK:
        return t
    for level, words in _EDU_WORDS:
        if any(w in t for w in words):
            return level
    return None


def _ym(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    m = re.match(r"^(\d{4})(?:-(\d{1,2}))?", value.strip())
    if not m:
        return None
    return f"{m.group(1)}-{int(m.group(2) or 1):02d}"


def _month_index(ym: str) -> int:
    y, m = ym.split("-")
    return int(y) * 12 + int(m) - 1


@dataclass
class Job:
    company: str | None
    title: str | None
    start: str | None
    end: str | None
    current: bool
    weight: float
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class CareerInputs:
    parsed_jobs: list[Job] = field(default_factory=list)  # from our parse of the text
    platform_jobs: list[Job] = field(default_factory=list)  # parsed_resume_data
    graph_jobs: list[Job] = field(default_factory=list)  # WORKED_AT
    title_votes: list[tuple[str, float, Evidence]] = field(default_factory=list)
    education: list[EducationClaim] = field(default_factory=list)
    industries: list[tuple[str, Evidence]] = field(default_factory=list)
    stated_years: tuple[float, Evidence] | None = None
    contradictions: list[str] = field(default_factory=list)


def merge_jobs(inputs: CareerInputs) -> list[Job]:
    merged: list[Job] = []
    for src in (inputs.parsed_jobs, inputs.platform_jobs, inputs.graph_jobs):
        for job in src:
            if job.start and job.end and job.end < job.start:
                inputs.contradictions.append("a work entry ends before it starts; dropped")
                continue
            key = _company_key(job.company)
            same = next((m for m in merged if key and _company_key(m.company) == key), None)
            if same is None:
                if job.start is None and src is inputs.graph_jobs and merged:
                    continue  # an undated edge adds nothing to a dated history beyond what matched
                merged.append(
                    Job(
                        job.company,
                        job.title,
                        job.start,
                        job.end,
                        job.current,
                        job.weight,
                        list(job.evidence),
                    )
                )
                continue
            same.title = same.title or job.title
            same.start = same.start or job.start
            if same.end is None and not same.current:
                same.end = job.end
            same.evidence.extend(job.evidence)
    merged.sort(key=lambda j: j.start or "0000-00")
    return merged


def total_years(jobs: list[Job], cutoff: date) -> float | None:
    spans = []
    now = cutoff.year * 12 + cutoff.month - 1
    for j in jobs:
        if not j.start:
            continue
        a = _month_index(j.start)
        b = _month_index(j.end) if j.end else now
        if b >= a:
            spans.append((a, min(b, now)))
    if not spans:
        return None
    spans.sort()
    total, (cs, ce) = 0, spans[0]
    for s, e in spans[1:]:
        if s > ce:
            total += ce - cs
            cs, ce = s, e
        else:
            ce = max(ce, e)
    total += ce - cs
    return round(total / 12, 1)


def career_facet(inputs: CareerInputs, cutoff: date) -> Career:
    return Career(**_career_claims(inputs, cutoff))


def _career_claims(inputs: CareerInputs, cutoff: date) -> dict[str, Any]:
    jobs = merge_jobs(inputs)
    out: dict[str, Any] = {}
    history = [
        JobClaim(
            company=j.company,
            title=j.title,
            start=j.start,
            end=j.end,
            is_current=j.current or j.end is None,
            confidence=round(min(0.95, j.weight), 2),
            evidence=j.evidence[:4],
        )
        for j in jobs
        if j.evidence
    ]
    out["history"] = history
    current = None
    open_jobs = [j for j in jobs if j.current or (j.end is None and j.start)]
    if open_jobs:
        current = max(open_jobs, key=lambda j: j.start or "")
    elif jobs:
        current = max(jobs, key=lambda j: (j.end or "", j.start or ""))
    votes: dict[str, float] = {}
    shown: dict[str, str] = {}
    ev_for: dict[str, list[Evidence]] = {}
    if current and current.title:
        for e in current.evidence:
            if e.quote:
                k = normalize_title(str(e.quote))
                votes[k] = votes.get(k, 0) + (e.weight or 0.5)
                shown.setdefault(k, str(e.quote))
                ev_for.setdefault(k, []).append(e)
    for title, w, e in inputs.title_votes:
        title = _RESUME_SUFFIX.sub("", title).strip()
        k = normalize_title(title)
        if k:
            votes[k] = votes.get(k, 0) + w
            shown.setdefault(k, title)
            ev_for.setdefault(k, []).append(e)
    years = total_years(jobs, cutoff)
    if votes:
        best = max(sorted(votes), key=lambda k: votes[k])
        conf = votes[best] / sum(votes.values())
        out["current_title"] = Claim(
            value=shown[best],
            confidence=round(min(0.95, 0.5 + conf / 2), 2),
            evidence=ev_for[best][:4],
            basis="titles voted by source priority",
        )
        sen = seniority_of(shown[best]) or seniority_from_years(years)
        out["seniority"] = Claim(
            value=sen,
            confidence=0.8,
            evidence=ev_for[best][:2],
            basis="title words (both languages), else years in work",
        )
    if years is not None:
        ev = [e for j in jobs for e in j.evidence if e.field in ("start", "end", "work_experience")][:4] or [
            e for j in jobs for e in j.evidence
        ][:4]
        out["total_years"] = Claim(
            value=years, confidence=0.8, evidence=ev, basis="union of dated work entries"
        )
        if inputs.stated_years and abs(inputs.stated_years[0] - years) >= 3:
            inputs.contradictions.append(
                "user_profiles.experience_years disagrees with the career dates by 3+ years"
            )
    elif inputs.stated_years:
        out["total_years"] = Claim(
            value=inputs.stated_years[0],
            confidence=0.6,
            evidence=[inputs.stated_years[1]],
            basis="as stated in the profile",
        )
    if "seniority" not in out and years is not None:
        out["seniority"] = Claim(
            value=seniority_from_years(years),
            confidence=0.5,
            evidence=out["total_years"].evidence,
            basis="years in work",
        )
    ranks = [seniority_of(j.title) for j in jobs if j.title]
    order = {"junior": 0, "mid": 1, "senior": 2, "lead": 3}
    if len(ranks) >= 2 and all(ranks):
        first, last = order[ranks[0]], order[ranks[-1]]  # type: ignore[index]
        trend = "rising" if last > first else "declining" if last < first else "stable"
        out["trajectory"] = Claim(
            value=trend,
            confidence=0.6,
            evidence=[e for j in jobs for e in j.evidence][:4],
            basis="seniority of the first and the latest role",
        )
    out["education"] = inputs.education
    if inputs.education:
        top = max(inputs.education, key=lambda e: EDU_RANK.get(e.level or "", -1))
        if top.level:
            out["education_level"] = Claim(
                value=top.level,
                confidence=top.confidence,
                evidence=top.evidence,
                visibility="public",
                basis="highest degree found",
            )
    if inputs.industries:
        names: dict[str, list[Evidence]] = {}
        for name, e in inputs.industries:
            names.setdefault(name, []).append(e)
        out["industries"] = Claim(
            value=sorted(names),
            confidence=0.7,
            evidence=[e for v in names.values() for e in v][:6],
            basis="companies and profile",
        )
    return out
