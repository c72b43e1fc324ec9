"""Traits and AI-assistant preferences: what the settings say, corrected by what behaviour shows.

Method. Stated settings (``user_settings``) are a prior; behaviour overrides them when it is clear enough.
- language: template languages and AI-query languages (shares of events) against the resume's language and
  the stated language; the highest weighted score wins.
- assistance level: AI-assistant interactions per own session (low < 0.17 <= medium < 0.6 <= high), nudged by
  the share of suggestions accepted; with fewer than 4 sessions the stated level stands.
- tone: the tone whose answers the user rates higher; a single observed tone counts as liked at >= 3.5.
- notification time: the window (morning 7-10, afternoon 13-16, evening 18-21, night 22-1) holding most
  notification opens, local time; none observed leaves the stated time.
Traits are the work-style patterns behaviour shows (chronotype, weekly habit, engagement, reliance on the
assistant), plus earlier AI personality analyses as weak evidence (their model version kept in evidence).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from ai_identity.analyse.behavior import BehaviorStats
from ai_identity.model.identity import Claim, Evidence

LEVELS3 = ("low", "medium", "high")
WINDOWS = {
    "morning": (7, 8, 9, 10),
    "afternoon": (13, 14, 15, 16),
    "evening": (18, 19, 20, 21),
    "night": (22, 23, 0, 1),
}


def _ev_events(uid: int, b: BehaviorStats, field: str, quote: Any, count: int | None = None) -> Evidence:
    return Evidence(
        source="events",
        store="user_behavior_analysis",
        record=f"user_id={uid};timestamp>={b.window_start.isoformat()};timestamp<={b.window_end.isoformat()}",
        field=field,
        quote=quote,
        count=count if count is not None else b.events,
    )


def language_claim(
    uid: int,
    stated: tuple[str, Evidence] | None,
    resume_lang: tuple[str, Evidence] | None,
    b: BehaviorStats | None,
) -> Claim | None:
    score: dict[str, float] = defaultdict(float)
    evidence: list[Evidence] = []
    if stated and stated[0] in ("zh", "en"):
        score[stated[0]] += 0.3
        evidence.append(stated[1])
    if resume_lang and resume_lang[0] in ("zh", "en"):
        score[resume_lang[0]] += 0.3
        evidence.append(resume_lang[1])
    if b is not None:
        for field, counts in (
            ("action_details.language", b.template_languages),
            ("action_details.lang", b.ai_languages),
        ):
            total = sum(counts.values())
            if total:
                for lang, n in counts.items():
                    score[lang] += 0.6 * n / total
                evidence.append(_ev_events(uid, b, field, dict(counts), total))
    if not score:
        return None
    best = max(sorted(score), key=lambda k: score[k])
    return Claim(
        value=best,
        confidence=round(min(0.95, score[best] / sum(score.values())), 2),
        evidence=evidence,
        basis="templates and assistant queries in each language, resume language, stated setting",
    )


def assistance_claim(
    uid: int, stated: tuple[str, Evidence] | None, b: BehaviorStats | None, reliability: float = 0.7
) -> Claim | None:
    """Posterior over levels from the platform-wide rate mixture, times the stated setting as evidence of
    ``reliability`` (the share of confidently-observed users whose stated level matches their behaviour)."""
    post = b.extra.get("assistance_posterior") if b else None
    if b is None or post is None:
        if stated and stated[0] in LEVELS3:
            return Claim(
                value=stated[0],
                confidence=0.5,
                evidence=[stated[1]],
                basis="as stated (too little behaviour)",
            )
        return None
    score = dict(post)
    if stated and stated[0] in LEVELS3:
        for k in LEVELS3:
            score[k] *= reliability if k == stated[0] else (1 - reliability) / 2
    total = sum(score.values()) or 1.0
    level = max(LEVELS3, key=lambda k: score[k])
    own = b.sessions - b.notify_opens
    ev = [
        _ev_events(
            uid, b, "action_target", {"ai_assistant_events": b.ai_events, "own_sessions": own}, b.ai_events
        )
    ]
    if stated:
        if stated[0] != level:
            stated[1].conflict = f"stated {stated[0]}, behaviour shows {level}"
        ev.append(stated[1])
    return Claim(
        value=level,
        confidence=round(min(0.99, score[level] / total), 3),
        evidence=ev,
        basis=f"{b.ai_events} assistant interactions over {own} sessions, "
        f"{(b.ai_accepted_share or 0):.0%} accepted; stated setting weighted by its reliability",
    )


def tone_claim(uid: int, stated: tuple[str, Evidence] | None, b: BehaviorStats | None) -> Claim | None:
    ratings = b.tone_ratings if b else {}
    value = None
    if len(ratings) >= 2:
        value = max(sorted(ratings), key=lambda k: ratings[k])
    elif len(ratings) == 1:
        ((tone, r),) = ratings.items()
        value = tone if r >= 3.5 else ("friendly" if tone == "formal" else "formal")
    if value is None or b is None:
        if stated and stated[0] in ("formal", "friendly"):
            return Claim(
                value=stated[0], confidence=0.5, evidence=[stated[1]], basis="as stated (no ratings)"
            )
        return None
    ev = [_ev_events(uid, b, "action_details.rating", ratings, b.ai_events)]
    if stated:
        ev.append(stated[1])
    return Claim(
        value=value, confidence=0.7, evidence=ev, basis="the tone whose answers the user rates higher"
    )


def notification_claim(
    uid: int, stated: tuple[str, Evidence] | None, b: BehaviorStats | None
) -> Claim | None:
    hours = b.notify_hours if b else []
    votes = Counter(w for h in hours for w, hs in WINDOWS.items() if h in hs)
    if not votes or b is None:
        if stated and stated[0] in WINDOWS:
            return Claim(
                value=stated[0],
                confidence=0.5,
                evidence=[stated[1]],
                basis="as stated (no notification opens)",
            )
        return None
    best = max(sorted(votes), key=lambda k: votes[k])
    ev = [_ev_events(uid, b, "action_target", {"notification_opens_local_hours": hours}, len(hours))]
    if stated:
        ev.append(stated[1])
    return Claim(
        value=best,
        confidence=round(min(0.95, votes[best] / max(1, len(hours))), 2),
        evidence=ev,
        basis="local hours at which the user opens notifications",
    )


def traits(
    uid: int, b: BehaviorStats | None, personality: list[tuple[str, Evidence]], assistance: Claim | None
) -> list[Claim]:
    out: list[Claim] = []
    if b is not None and b.peak_hours:
        h = b.peak_hours[0]
        chrono = (
            "early_bird"
            if 5 <= h < 9
            else "daytime"
            if 9 <= h < 18
            else "evening"
            if 18 <= h < 22
            else "night_owl"
        )
        for value, field, quote, conf, basis in (
            (chrono, "timestamp", b.peak_hours, 0.7, "the local hour of most sessions"),
            (
                f"{b.weekly_pattern}_rhythm",
                "timestamp",
                {"weekend_share": b.weekend_share},
                0.65,
                "share of sessions at weekends",
            ),
            (
                f"{b.activity_level}_engagement",
                "session_id",
                {"sessions_per_week": b.sessions_per_week},
                0.7,
                "sessions per week",
            ),
        ):
            out.append(
                Claim(value=value, confidence=conf, evidence=[_ev_events(uid, b, field, quote)], basis=basis)
            )
    if assistance is not None and assistance.value == "high":
        out.append(
            Claim(
                value="relies_on_ai_assistant",
                confidence=0.6,
                evidence=assistance.evidence[:1],
                basis="frequent assistant use",
            )
        )
    for name, ev in personality:
        out.append(
            Claim(value=name, confidence=0.3, evidence=[ev], basis="earlier AI analysis (weak evidence)")
        )
    return out
