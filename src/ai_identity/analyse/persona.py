"""Persona: a short bilingual summary and an LLM system prompt, rendered from the claims a viewer may see.

Method: templates over the (already viewer-filtered) identity document. The persona is never stored for a
wider audience than it was built for: ``view()`` filters the claims first and renders the persona from what
is left, so it cannot mention a claim the viewer may not see.
"""

from __future__ import annotations

import copy
from typing import Any

from ai_identity.model.identity import VIEWER_RANK, Identity, Persona

_LEVEL_ZH = {"beginner": "入门", "intermediate": "熟悉", "advanced": "熟练", "expert": "精通"}
_SEN_ZH = {"junior": "初级", "mid": "中级", "senior": "资深", "lead": "负责人级"}
_TONE = {"formal": "formal and concise", "friendly": "warm and conversational"}
_ASSIST = {
    "low": "answer only what is asked; do not volunteer suggestions",
    "medium": "offer a suggestion when it clearly helps",
    "high": "be proactive: suggest next steps, draft texts and point out opportunities",
}


def _v(d: dict[str, Any], key: str) -> Any:
    c = d.get(key)
    return getattr(c, "value", None) if c is not None else None


def render_persona(ident: Identity, viewer: str) -> Persona:
    skills = ident.skills[:5]
    en_sk = ", ".join(f"{s.name_en} ({s.level})" for s in skills) or "no skills on record"
    zh_sk = "、".join(f"{s.name_zh}（{_LEVEL_ZH.get(s.level, s.level)}）" for s in skills) or "暂无技能记录"
    title = _v(ident.career.claims(), "current_title")
    sen = _v(ident.career.claims(), "seniority")
    years = _v(ident.profile, "experience_years")
    industry = _v(ident.profile, "industry")
    en = [
        f"{(sen or '').capitalize()} {title or 'professional'}".strip() if title or sen else "A professional"
    ]
    zh = [f"{_SEN_ZH.get(sen or '', '')}{title or '从业者'}" if title or sen else "从业者"]
    if industry:
        en.append(f"in {industry}")
        zh.append(f"，所在行业：{industry}")
    if years is not None:
        en.append(f"with {years:g} years of experience")
        zh.append(f"，{years:g}年工作经验")
    summary_en = (" ".join(en) or "A platform member") + f". Strongest skills: {en_sk}."
    summary_zh = ("".join(zh) or "平台用户") + f"。主要技能：{zh_sk}。"
    peak = _v(ident.behavior, "peak_hours")
    device = _v(ident.behavior, "primary_device")
    if peak:
        summary_en += f" Most active around {peak[0]:02d}:00 local time"
        summary_zh += f"通常在当地时间{peak[0]}点前后最活跃"
        if device:
            summary_en += f", mostly on {device}"
            summary_zh += f"，多使用{ {'desktop': '电脑', 'mobile': '手机', 'tablet': '平板', 'bot': '自动化脚本'}.get(device, device) }"
        summary_en += "."
        summary_zh += "。"
    prefs = ident.ai_preferences
    lang = _v(prefs, "language")
    lines = [
        "You are the personal career assistant of one member of a talent platform.",
        f"What you know about them: {summary_en}",
    ]
    if lang:
        lines.append(f"Reply in {'Chinese (简体中文)' if lang == 'zh' else 'English'}.")
    if _v(prefs, "tone"):
        lines.append(f"Tone: {_TONE.get(_v(prefs, 'tone'), _v(prefs, 'tone'))}.")
    if _v(prefs, "assistance_level"):
        lines.append(
            f"Assistance: {_ASSIST.get(_v(prefs, 'assistance_level'), _v(prefs, 'assistance_level'))}."
        )
    if _v(prefs, "notification_time"):
        lines.append(f"If you schedule reminders, prefer the {_v(prefs, 'notification_time')}.")
    lines.append("Do not guess facts that are not listed here; ask instead.")
    return Persona(
        summary_en=summary_en,
        summary_zh=summary_zh,
        system_prompt="\n".join(lines),
        built_for=viewer,  # type: ignore[arg-type]  # checked by view(): one of VIEWER_RANK
    )


def _visible(claim: Any, rank: int) -> bool:
    vis = getattr(claim, "visibility", None)
    return vis is None or VIEWER_RANK[vis] <= rank


def view(ident: Identity, viewer: str) -> Identity:
    """The identity as ``viewer`` (self | trusted | public) may see it, persona re-rendered from what is left."""
    if viewer not in VIEWER_RANK:
        from ai_identity.errors import UsageError

        raise UsageError("--viewer: expected one of self, trusted, public")
    rank = VIEWER_RANK[viewer]
    out = copy.deepcopy(ident)
    for section in ("profile", "personal", "behavior", "network", "ai_preferences"):
        setattr(out, section, {k: c for k, c in getattr(out, section).items() if _visible(c, rank)})
    for name, claim in out.career.claims().items():
        if not _visible(claim, rank):
            setattr(out.career, name, None)
    out.career.history = [j for j in out.career.history if _visible(j, rank)]
    out.career.education = [e for e in out.career.education if _visible(e, rank)]
    out.skills = [s for s in out.skills if _visible(s, rank)]
    out.traits = [t for t in out.traits if _visible(t, rank)]
    if rank < VIEWER_RANK["trusted"]:
        out.vectors = {}
        out.consent = {"ai_analysis_consent": ident.consent.get("ai_analysis_consent")}
        out.user = {"pseudonym": ident.user.get("pseudonym")}
    out.persona = None if ident.stub else render_persona(out, viewer)
    return out
