"""Assembles one user's AI identity from their records and the platform-wide behaviour and network results.

Every claim cites its records; visibility follows the defaults (profile basics and skills ``public``; career
history, behaviour, devices, network and preferences ``trusted``; the sensitive tier ``self``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from ai_identity.analyse import career as C
from ai_identity.analyse import preferences as P
from ai_identity.analyse.behavior import BehaviorStats
from ai_identity.analyse.network import NetworkStats
from ai_identity.analyse.persona import render_persona
from ai_identity.analyse.skills import SkillSignals, normalize_level
from ai_identity.analyse.vectors import BEHAVIOR_DIM, CONTENT_DIM, INTEREST_DIM, SKILL_DIM
from ai_identity.collect import MASK, Consent
from ai_identity.features.taxonomy import Taxonomy
from ai_identity.model.identity import (
    SCHEMA_VERSION,
    Claim,
    EducationClaim,
    Evidence,
    Identity,
    Quality,
    VectorRef,
)
from ai_identity.sources.base import UserRecords

_SPLIT = re.compile(r"[,，、;；/|]+")
_ZONES = frozenset(available_timezones())


@dataclass
class Context:
    """What assembly needs beyond one user's records."""

    taxonomy: Taxonomy
    as_of: datetime
    built_at: datetime
    skill_dict: dict[int, Any]
    behavior: dict[int, BehaviorStats]
    network: dict[int, NetworkStats]
    graph_uid: dict[str, int]
    pseudonym: Any  # callable (namespace, value) -> str
    parse: Any  # callable text -> ParsedResume
    generalize: Any  # callable location text -> str | None
    timezone_for: Any  # callable location text -> str | None
    sources_present: list[str]
    assistance_reliability: float = 0.7
    findings: Any = None  # ai_identity.quality.UserFindings: the platform's data-quality findings by user


def _ev(source: str, store: str, record: str, field: str, quote: Any = None, **kw: Any) -> Evidence:
    # built from values we just read and typed ourselves: skip re-validation (the hot path of a build)
    return Evidence.model_construct(source=source, store=store, record=record, field=field, quote=quote, **kw)


def _doc_record(docs: Any) -> str:
    """The document's key for evidence: its ``_id``, since its ``user_id`` is often the user's e-mail."""
    return f"_id={docs.id}" if docs.id else f"user_id={docs.user_id}"


def resume_text(rec: UserRecords) -> tuple[str, Evidence] | None:
    """The resume text to analyse (latest private copy, else the MySQL copy) and evidence naming it."""
    if rec.resume_content:
        rc = max(rec.resume_content, key=lambda r: (r.updated_at or r.created_at, r.resume_metadata_id))
        if rc.content:
            return rc.content, _ev(
                "sqlite",
                f"users/{rec.user_id}.sqlite:resume_content",
                f"resume_metadata_id={rc.resume_metadata_id}",
                "content",
            )
    if rec.resumes:
        res = max(rec.resumes, key=lambda r: (r.updated_at or r.created_at, r.id))
        if res.content:
            return res.content, _ev("mysql", "resumes", f"id={res.id}", "content")
    return None


def skills_facet(
    rec: UserRecords, ctx: Context, text: tuple[str, Evidence] | None, parsed: Any
) -> SkillSignals:
    sig = SkillSignals(ctx.taxonomy)
    updated = {r.id: (r.updated_at or r.created_at) for r in rec.resumes}
    for rs in rec.resume_skills:
        sk = ctx.skill_dict.get(rs.skill_id)
        if sk is None:
            continue
        when = updated.get(rs.resume_id)
        sig.add_surface(
            sk.name,
            "resume_skills",
            _ev(
                "mysql",
                "resume_skills",
                f"resume_id={rs.resume_id},skill_id={rs.skill_id}",
                "skill_id",
                quote=sk.name,
            ),
            level=normalize_level(rs.proficiency_level),
            years=rs.years_of_experience,
            verified=rs.is_verified,
            when=when.date().isoformat() if when else None,
        )
    if text is not None and parsed is not None:
        base = text[1].model_dump(include={"source", "store", "record", "field"})
        sig.add_text_mentions(text[0], parsed.skills, base)
    for pr in rec.parsed_resumes:
        for i, name in enumerate(pr.skills or []):
            if isinstance(name, str):
                sig.add_surface(
                    name,
                    "parsed_resume",
                    _ev(
                        "sqlite",
                        f"users/{rec.user_id}.sqlite:parsed_resume_data",
                        f"resume_content_id={pr.resume_content_id}",
                        f"skills[{i}]",
                        quote=name,
                    ),
                )
    for prof in rec.profiles[:1]:
        for part in _SPLIT.split(prof.skills_summary or ""):
            if part.strip():
                sig.add_surface(
                    part.strip(),
                    "skills_summary",
                    _ev(
                        "mysql",
                        "user_profiles",
                        f"user_id={rec.user_id}",
                        "skills_summary",
                        quote=part.strip(),
                    ),
                )
    for rel, node in rec.has_skill:
        sig.add_surface(
            rel.skill,
            "has_skill",
            _ev(
                "graph",
                "HAS_SKILL",
                f"(:User {{id: '{rel.user}'}})-[:HAS_SKILL]->(:Skill {{name: '{rel.skill}'}})",
                "proficiency",
                quote=rel.proficiency,
            ),
            level=normalize_level(rel.proficiency),
            years=rel.years,
        )
        del node
    if rec.documents is not None:
        for i, name in enumerate(rec.documents.knowledge_base.expertise_areas):
            sig.add_surface(
                name,
                "knowledge_base",
                _ev(
                    "mongodb",
                    "documents",
                    _doc_record(rec.documents),
                    f"knowledge_base.expertise_areas[{i}]",
                    quote=name,
                ),
            )
    for ra in rec.resume_analyses:
        result = ra.analysis_result if isinstance(ra.analysis_result, dict) else {}
        for i, name in enumerate(result.get("skills", []) or []):
            if isinstance(name, str):
                sig.add_surface(
                    name,
                    "ai_analysis",
                    _ev(
                        "mysql",
                        "resume_analyses",
                        f"resume_id={ra.resume_id}",
                        f"analysis_result.skills[{i}]",
                        quote=name,
                        model_version=ra.ai_model_version,
                        source_confidence=ra.confidence_score,
                    ),
                )
    for ap in rec.ai_profiles:
        assess = ap.skills_assessment if isinstance(ap.skills_assessment, dict) else {}
        for name, level in assess.items():
            sig.add_surface(
                name,
                "ai_analysis",
                _ev(
                    "postgres",
                    "user_ai_profiles",
                    f"user_id={ap.user_id}",
                    f"skills_assessment.{name}",
                    quote=level,
                ),
                level=normalize_level(level),
            )
    return sig


@functools.lru_cache(maxsize=1)
def _pii_detector() -> Any:
    from ai_identity.privacy.pii import PIIDetector

    return PIIDetector()


def not_personal(value: str | None, known: tuple[str, ...] = ()) -> str | None:
    """A parsed field (company, title, school, major), or None when it carries contact data (an e-mail, phone,
    ID, URL…) or one of the user's own sensitive values (``known``: name, e-mail, phone): a parse error must
    not smuggle a sensitive value into a non-sensitive claim."""
    if not value:
        return value
    if MASK * 2 in value:  # a value the collector masked (a name, e-mail or phone in text read to derive)
        return None
    if any(k and len(k) >= 2 and k in value for k in known):
        return None
    from ai_identity.privacy.pii import STRUCTURED_TYPES

    if any(e.type in STRUCTURED_TYPES or e.type == "URL" for e in _pii_detector().analyze(value)):
        return None
    return value


def sensitive_values(rec: UserRecords) -> tuple[str, ...]:
    """The user's own sensitive values as stored (to keep them out of parsed fields; never output)."""
    vals = [rec.user.email, rec.user.phone] if rec.user else []
    vals += [p.real_name for p in rec.profiles]
    return tuple(v.strip() for v in vals if isinstance(v, str) and v.strip())


def career_inputs(
    rec: UserRecords, ctx: Context, text: tuple[str, Evidence] | None, parsed: Any
) -> C.CareerInputs:
    ci = C.CareerInputs()
    known = sensitive_values(rec)
    if text is not None and parsed is not None:
        base = text[1]
        for e in parsed.work_experience:
            title = not_personal(e.title.value if e.title else None, known)
            company = not_personal(e.company.value if e.company else None, known)
            span = (e.title.start, e.title.end) if e.title else (e.span_start, e.span_end)
            ev = base.model_copy(
                update={"span": span, "quote": title, "weight": round(0.8 * e.confidence, 3)}
            )
            ci.parsed_jobs.append(
                C.Job(company, title, e.start, e.end, e.is_current, 0.8 * e.confidence, [ev])
            )
        for e in parsed.education:
            level = e.level or C.edu_level(e.degree.value if e.degree else None)
            span = (e.degree.start, e.degree.end) if e.degree else (e.span_start, e.span_end)
            ci.education.append(
                EducationClaim(
                    school=not_personal(e.school.value if e.school else None, known),
                    level=level,
                    major=not_personal(e.major.value if e.major else None, known),
                    end=e.end,
                    confidence=round(0.8 * e.confidence, 2),
                    evidence=[
                        base.model_copy(update={"span": span, "quote": e.degree.value if e.degree else level})
                    ],
                )
            )
    for pr in rec.parsed_resumes:
        store = f"users/{rec.user_id}.sqlite:parsed_resume_data"
        for i, w in enumerate(pr.work_experience or []):
            if not isinstance(w, dict):
                continue
            start, end = C._ym(w.get("start")), C._ym(w.get("end"))
            ev = _ev(
                "sqlite",
                store,
                f"resume_content_id={pr.resume_content_id}",
                f"work_experience[{i}].title",
                quote=w.get("title"),
                weight=0.7,
            )
            company, title = not_personal(w.get("company"), known), not_personal(w.get("title"), known)
            ev.quote = title
            ci.platform_jobs.append(C.Job(company, title, start, end, w.get("end") is None, 0.7, [ev]))
        if not ci.education:
            for i, e in enumerate(pr.education or []):
                if isinstance(e, dict):
                    ci.education.append(
                        EducationClaim(
                            school=not_personal(e.get("school"), known),
                            level=C.edu_level(e.get("degree")),
                            major=not_personal(e.get("major"), known),
                            end=str(e.get("end")) if e.get("end") else None,
                            confidence=0.6,
                            evidence=[
                                _ev(
                                    "sqlite",
                                    store,
                                    f"resume_content_id={pr.resume_content_id}",
                                    f"education[{i}].degree",
                                    quote=e.get("degree"),
                                )
                            ],
                        )
                    )
    for rel, company_node in rec.worked_at:
        ev = _ev(
            "graph",
            "WORKED_AT",
            f"(:User {{id: '{rel.user}'}})-[:WORKED_AT]->(:Company {{name: '{rel.company}'}})",
            "position",
            quote=rel.position,
            weight=0.55,
        )
        ci.graph_jobs.append(C.Job(rel.company, rel.position, None, None, False, 0.55, [ev]))
        if company_node and company_node.industry:
            ci.industries.append(
                (
                    company_node.industry,
                    ev.model_copy(update={"field": "industry", "quote": company_node.industry}),
                )
            )
    for res in rec.resumes:
        if res.title:
            ci.title_votes.append(
                (res.title, 0.4, _ev("mysql", "resumes", f"id={res.id}", "title", quote=res.title))
            )
    for prof in rec.profiles[:1]:
        if prof.experience_years is not None:
            ci.stated_years = (
                prof.experience_years,
                _ev(
                    "mysql",
                    "user_profiles",
                    f"user_id={rec.user_id}",
                    "experience_years",
                    quote=prof.experience_years,
                ),
            )
        if prof.industry:
            ci.industries.append(
                (
                    prof.industry,
                    _ev("mysql", "user_profiles", f"user_id={rec.user_id}", "industry", quote=prof.industry),
                )
            )
        if not ci.education and prof.education_level:
            ci.education.append(
                EducationClaim(
                    school=None,
                    level=C.edu_level(prof.education_level),
                    major=None,
                    end=None,
                    confidence=0.6,
                    evidence=[
                        _ev(
                            "mysql",
                            "user_profiles",
                            f"user_id={rec.user_id}",
                            "education_level",
                            quote=prof.education_level,
                        )
                    ],
                )
            )
    return ci


def record_contradictions(rec: UserRecords) -> list[str]:
    """Records of one user that disagree with each other (reported in ``quality``, never silently resolved)."""
    out = []
    for table, rows in (("user_profiles", rec.profiles), ("user_settings", rec.settings)):
        if len(rows) > 1:
            fields = [
                f
                for f in type(rows[0]).model_fields
                if len({json.dumps(getattr(r, f), sort_keys=True, default=str) for r in rows}) > 1
            ]
            if fields:
                out.append(
                    f"{table}: {len(rows)} rows for this user disagree on {', '.join(fields)}; the first is used"
                )
    return out


def content_hash(ident: Identity) -> str:
    """A hash of the identity's content, excluding build time and version, for change detection (pydantic's
    JSON keeps field order, so equal content gives equal bytes)."""
    return hashlib.sha256(ident.core_json().encode()).hexdigest()[:32]


def stub_reason(consent: Consent) -> str:
    """Why no analysis was done, in the words of the consent that forbids it."""
    if consent.purposes.get("identity_building") is False:
        return "consent for the identity_building purpose is not granted: no analysis"
    if "basic" not in consent.tiers:
        return "the basic tier is withdrawn: no analysis"
    return "ai_analysis_consent is false: no analysis"


def stub_identity(rec: UserRecords, ctx: Context, consent: Consent) -> Identity:
    ident = Identity(
        built_at=ctx.built_at,
        as_of=ctx.as_of,
        stub=True,
        user={"platform_id": rec.user_id, "pseudonym": ctx.pseudonym("user", rec.user_id)},
        sources={"used": [], "absent": [], "missing": {}},
        consent=consent.snapshot(),
        quality=Quality(
            completeness=0.0,
            confidence=0.0,
            missing_facets={"all": stub_reason(consent)},
        ),
    )
    ident.content_hash = content_hash(ident)
    return ident


def assemble(rec: UserRecords, ctx: Context, consent: Consent) -> Identity:
    """One user's identity (or a stub when AI analysis is not consented to)."""
    if not consent.ai_analysis:
        return stub_identity(rec, ctx, consent)
    uid = rec.user_id
    text = resume_text(rec)
    parsed = ctx.parse(text[0]) if text else None
    missing: dict[str, str] = dict(rec.missing)
    contradictions: list[str] = list(rec.conflicts) + record_contradictions(rec)

    sig = skills_facet(rec, ctx, text, parsed)
    skills = sig.claims()
    ci = career_inputs(rec, ctx, text, parsed)
    career = C.career_facet(ci, ctx.as_of.date())
    contradictions.extend(ci.contradictions)
    b = ctx.behavior.get(uid)
    profile = profile_facet(rec, ctx, career, b)
    behavior = behavior_facet(uid, b) if b else {}
    if not b:
        missing["behavior"] = "no events in the window"
    settings = rec.settings[0] if rec.settings else None
    sev = lambda f, q: _ev("mysql", "user_settings", f"user_id={uid}", f, quote=q)  # noqa: E731
    theme = settings.theme_preferences or {} if settings else {}
    notify = settings.notification_preferences or {} if settings else {}
    lang = P.language_claim(
        uid,
        (settings.language, sev("language", settings.language)) if settings and settings.language else None,
        (parsed.language if parsed and parsed.language in ("zh", "en") else None, text[1])
        if text and parsed
        else None,
        b,
    )
    assist = P.assistance_claim(
        uid,
        (settings.ai_assistance_level, sev("ai_assistance_level", settings.ai_assistance_level))
        if settings and settings.ai_assistance_level
        else None,
        b,
        ctx.assistance_reliability,
    )
    tone = P.tone_claim(
        uid,
        (theme.get("ai_tone"), sev("theme_preferences.ai_tone", theme.get("ai_tone")))
        if theme.get("ai_tone")
        else None,
        b,
    )
    ntime = P.notification_claim(
        uid,
        (notify.get("time"), sev("notification_preferences.time", notify.get("time")))
        if notify.get("time")
        else None,
        b,
    )
    prefs = {
        k: v
        for k, v in (
            ("language", lang),
            ("assistance_level", assist),
            ("tone", tone),
            ("notification_time", ntime),
        )
        if v is not None
    }
    if lang:
        profile["language"] = lang.model_copy(update={"visibility": "public"})
    personality = []
    for a in rec.ai_analyses:
        if a.analysis_type == "personality" and isinstance(a.analysis_result, dict):
            for t in a.analysis_result.get("traits", []) or []:
                personality.append(
                    (
                        str(t),
                        _ev(
                            "postgres",
                            "ai_analyses",
                            f"id={a.id}",
                            "analysis_result.traits",
                            quote=t,
                            model_version=a.model_version,
                            source_confidence=a.confidence_score,
                            weight=0.3,
                        ),
                    )
                )
    traits = P.traits(uid, b, personality, assist)
    network = network_facet(rec, ctx, skills, consent, missing)
    personal = personal_facet(rec, consent) if consent.sensitive else {}
    sources_used = sorted(
        {e.source for s in skills for e in s.evidence}
        | ({"events"} if b else set())
        | ({"graph"} if rec.graph_id else set())
        | ({"mongodb"} if rec.documents else set())
        | {"mysql"}
    )
    facets = {
        "skills": bool(skills),
        "career": bool(career.history),
        "behavior": bool(behavior),
        "network": bool(network),
        "ai_preferences": bool(prefs),
    }
    for f, ok in facets.items():
        if not ok and f not in missing:
            missing[f] = "no usable records"
    ident = Identity(
        built_at=ctx.built_at,
        as_of=ctx.as_of,
        user={"platform_id": uid, "pseudonym": ctx.pseudonym("user", uid)},
        sources={
            "used": sources_used,
            "absent": [
                s
                for s in ("mysql", "sqlite", "postgres", "events", "redis", "graph", "mongodb", "weaviate")
                if s not in ctx.sources_present
            ],
            "missing": missing,
        },
        consent=consent.snapshot(),
        partial=bool(set(missing) & set(facets) or "sqlite" in missing or rec.down),
        profile=profile,
        personal=personal,
        skills=skills,
        career=career,
        behavior=behavior,
        network=network,
        traits=traits,
        ai_preferences=prefs,
        vectors={
            kind: VectorRef(model=model, dimension=dim, stored_in="identity_vectors")
            for kind, model, dim in (
                ("skills", "hashed-skill-ids-v1", SKILL_DIM),
                ("content", "hashed-ngram-v1", CONTENT_DIM),
                ("behavior", "behavior-features-v1", BEHAVIOR_DIM),
                ("interests", "hashed-interests-v1", INTEREST_DIM),
            )
        },
        quality=Quality(
            completeness=round(sum(facets.values()) / len(facets), 3),
            freshness_hours=round((ctx.as_of - b.last).total_seconds() / 3600, 1) if b else None,
            confidence=round(sum(s.confidence for s in skills) / len(skills), 3) if skills else 0.0,
            missing_facets={k: v for k, v in missing.items()},
            contradictions=contradictions,
        ),
    )
    if ctx.findings is not None:
        from ai_identity.quality.per_identity import identity_quality

        ident.quality = identity_quality(ident.quality, uid, ctx.findings)
    ident.persona = render_persona(ident, "self")
    ident.content_hash = content_hash(ident)
    return ident


def profile_facet(rec: UserRecords, ctx: Context, career: Any, b: BehaviorStats | None) -> dict[str, Claim]:
    uid = rec.user_id
    out: dict[str, Claim] = {}
    prof = rec.profiles[0] if rec.profiles else None
    pev = lambda f, q: _ev("mysql", "user_profiles", f"user_id={uid}", f, quote=q)  # noqa: E731
    inds = career.industries
    if prof and prof.industry:
        out["industry"] = Claim(
            value=prof.industry,
            confidence=0.8,
            visibility="public",
            evidence=[pev("industry", prof.industry)],
            basis="as stated in the profile",
        )
    elif inds:
        out["industry"] = inds.model_copy(update={"value": inds.value[0], "visibility": "public"})
    if career.total_years is not None:
        out["experience_years"] = career.total_years.model_copy(update={"visibility": "public"})
    if career.education_level is not None:
        out["education_level"] = career.education_level
    if prof and prof.location:
        general = ctx.generalize(prof.location)
        if general:
            out["location"] = Claim(
                value=general,
                confidence=0.8,
                visibility="public",
                evidence=[pev("location", None)],
                basis="generalised to province/region or country",
            )
    settings = rec.settings[0] if rec.settings else None
    tz = settings.timezone if settings and settings.timezone in _ZONES else None
    if tz:
        out["timezone"] = Claim(
            value=tz,
            confidence=0.9,
            visibility="trusted",
            evidence=[_ev("mysql", "user_settings", f"user_id={uid}", "timezone", quote=tz)],
        )
    elif prof and prof.location and ctx.timezone_for(prof.location):
        out["timezone"] = Claim(
            value=ctx.timezone_for(prof.location),
            confidence=0.7,
            visibility="trusted",
            evidence=[pev("location", None)],
            basis="inferred from the profile's location",
        )
    del b
    return out


def timezone_of(settings_tz: str | None, location: str | None, timezone_for: Any) -> str | None:
    if settings_tz and settings_tz in _ZONES:
        return settings_tz
    if location:
        return timezone_for(location)
    return None


def behavior_facet(uid: int, b: BehaviorStats) -> dict[str, Claim]:
    def c(value: Any, field: str, basis: str, conf: float = 0.8, count: int | None = None) -> Claim:
        return Claim(
            value=value, confidence=conf, evidence=[P._ev_events(uid, b, field, None, count)], basis=basis
        )

    window = {"start": b.window_start.isoformat(), "end": b.window_end.isoformat()}
    conf = min(0.95, 0.4 + 0.05 * (b.sessions - b.notify_opens))
    return {
        "window": c(window, "timestamp", "the window the behaviour claims cover", 1.0),
        "activity_level": c(b.activity_level, "session_id", f"{b.sessions_per_week} sessions per week", conf),
        "hourly_rhythm": c(b.hourly, "timestamp", "share of own sessions starting in each local hour", conf),
        "weekly_rhythm": c(b.weekly, "timestamp", "share of own sessions per local weekday (Mon..Sun)", conf),
        "peak_hours": c(
            b.peak_hours, "timestamp", "local hours with most sessions (smoothed), most active first", conf
        ),
        "weekly_pattern": c(
            b.weekly_pattern, "timestamp", f"{b.weekend_share:.0%} of sessions at weekends", conf
        ),
        "sessions": c(
            {
                "count": b.sessions,
                "notification_opens": b.notify_opens,
                "median_seconds": b.median_session_seconds,
            },
            "session_id",
            "sessions in the window",
        ),
        "action_mix": c(b.action_mix, "action_type", "share of events per action type"),
        "target_mix": c(b.target_mix, "action_target", "share of events per target"),
        "success_rate": c(b.success_rate, "success", "share of successful events"),
        "failure_types": c(b.failure_types, "action_details", "failed events by error type"),
        "devices": c(b.devices, "user_agent", "own sessions per device class"),
        "primary_device": c(b.primary_device, "user_agent", "device class of most sessions", conf),
        "content_preferences": c(
            {
                "templates": {str(k): v for k, v in b.templates.items()},
                "template_languages": b.template_languages,
            },
            "action_target_id",
            "templates used",
        ),
        "interests": c(
            {kind: {str(k): v for k, v in ids.items()} for kind, ids in b.interests.items()},
            "action_target_id",
            "the jobs and companies acted on most, with counts",
        ),
        "last_active": c(b.last.isoformat(), "timestamp", "latest event in the window", 1.0),
    }


def network_facet(
    rec: UserRecords, ctx: Context, skills: list[Any], consent: Consent, missing: dict[str, str]
) -> dict[str, Claim]:
    if not consent.relational:
        missing["network"] = "relational tier not granted"
        return {}
    n = ctx.network.get(rec.user_id)
    out: dict[str, Claim] = {}
    gid = rec.graph_id or "?"
    gev = _ev("graph", "COLLABORATED_WITH", f"(:User {{id: '{gid}'}})-[:COLLABORATED_WITH]-()", "projects")
    if n is not None:
        out["collaborators"] = Claim(
            value=[
                {"user": ctx.pseudonym("user", v), "projects": p, "satisfaction": s}
                for v, p, s in n.collaborators[:20]
            ],
            confidence=0.9,
            evidence=[gev.model_copy(update={"count": len(n.collaborators)})],
        )
        out["centrality"] = Claim(
            value={"degree": n.degree, "pagerank": n.pagerank},
            confidence=0.8,
            evidence=[gev],
            basis="degree centrality and PageRank of the consented collaboration graph",
        )
        out["community"] = Claim(
            value={"id": n.community, "size": n.community_size},
            confidence=0.7,
            evidence=[gev],
            basis="Louvain community (seed 0)",
        )
        if n.related_skills:
            out["related_skills"] = Claim(
                value=[s for s, _ in n.related_skills],
                confidence=0.6,
                evidence=[gev],
                basis="skills held together with yours in your community",
            )
        if n.suggestions:
            out["learning_suggestions"] = Claim(
                value=[{"skill_id": s, "community_share": sh} for s, sh in n.suggestions],
                confidence=0.6,
                evidence=[gev],
                basis="skills your community holds that you do not yet",
            )
    if rec.worked_at:
        out["companies"] = Claim(
            value=sorted({rel.company for rel, _ in rec.worked_at}),
            confidence=0.8,
            evidence=[_ev("graph", "WORKED_AT", f"(:User {{id: '{gid}'}})-[:WORKED_AT]->()", "to")],
        )
    if rec.documents is not None:
        kb = rec.documents.knowledge_base
        dev = _ev("mongodb", "documents", _doc_record(rec.documents), "knowledge_base")
        if kb.topics:
            out["topics"] = Claim(value=kb.topics, confidence=0.6, evidence=[dev])
        if kb.learning_progress:
            out["learning_progress"] = Claim(value=kb.learning_progress, confidence=0.6, evidence=[dev])
    del skills
    return out


def personal_facet(rec: UserRecords, consent: Consent) -> dict[str, Claim]:
    """The sensitive tier: only with explicit consent, and only ever visible to the user themself."""
    out: dict[str, Claim] = {}
    if rec.user is not None:
        for f in ("email", "phone"):
            v = getattr(rec.user, f)
            if v:
                out[f] = Claim(
                    value=v,
                    confidence=0.9,
                    visibility="self",
                    evidence=[_ev("mysql", "users", f"id={rec.user_id}", f)],
                )
    if rec.profiles and rec.profiles[0].real_name:
        out["name"] = Claim(
            value=rec.profiles[0].real_name,
            confidence=0.9,
            visibility="self",
            evidence=[_ev("mysql", "user_profiles", f"user_id={rec.user_id}", "real_name")],
        )
    del consent
    return out


__all__ = ["SCHEMA_VERSION", "Context", "ZoneInfo", "assemble", "date", "timezone_of"]
