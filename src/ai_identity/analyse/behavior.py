"""Behaviour facet, computed columnar over all users' events at once (Polars; no Python loop per event).

Method. Timestamps are converted to each user's local time (one conversion per time zone present). Events
group into sessions (by ``session_id``); a session made only of notification views is a *notification open*
and is kept apart, since its timing follows the notification, not the user's own rhythm. Over the user's own
sessions: the 24-hour and 7-day rhythms are session-start histograms; ``peak_hours`` are the top hours of the
24-hour histogram after empirical-Bayes smoothing against the platform's rhythms (``mixture``) and a circular
[1, 2, 1] kernel; the weekly pattern compares the (equally smoothed) weekend share
with the shares a five-day week (~8%), an even week (~29%) and a weekend habit (~56%) would give. Devices are
classified once per distinct user agent (ua-parser plus rules for bots, tablets and phones) and counted per
session. Action/target mixes, success rate and failure types (``action_details.error``), templates used and
their language, and AI-assistant interactions (``accepted``, ``tone``/``rating``, ``lang``) are plain
group-bys. The window is the ``WINDOW_DAYS`` days before the cut-off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

from ai_identity.analyse.mixture import fit_mixture, fit_rate_mixture, smooth_counts

WINDOW_DAYS = 90
INTEREST_TOP = 15
HOUR_COMPONENTS, HOUR_STRENGTH = 8, 20.0
WEEK_COMPONENTS, WEEK_STRENGTH = 3, 5.0
_BOT = re.compile(
    r"bot|crawl|spider|slurp|python-requests|curl/|wget|go-http-client|httpclient|headless|okhttp|java/",
    re.IGNORECASE,
)
_TABLET = re.compile(r"ipad|tablet|\btab\b|kindle|silk/|playbook", re.IGNORECASE)
_MOBILE = re.compile(
    r"mobile|iphone|ipod|android|micromessenger|windows phone|blackberry|opera mini", re.IGNORECASE
)


@lru_cache(maxsize=65536)
def device_class(ua: str | None) -> str:
    """desktop | mobile | tablet | bot for one user-agent string."""
    if not ua:
        return "desktop"
    if _BOT.search(ua):
        return "bot"
    try:
        from ua_parser import parse

        parsed = parse(ua)
        dev = parsed.device
        if dev is not None and (dev.family == "Spider" or dev.brand == "Spider"):
            return "bot"
        if dev is not None and (
            "tablet" in (dev.brand or "").lower() or (dev.family or "").startswith("iPad")
        ):
            return "tablet"
    except Exception:
        pass
    if _TABLET.search(ua):
        return "tablet"
    if "android" in ua.lower() and "mobile" not in ua.lower():
        return "tablet"
    if _MOBILE.search(ua):
        return "mobile"
    return "desktop"


@dataclass
class BehaviorStats:
    user_id: int
    events: int
    sessions: int
    notify_opens: int
    first: datetime
    last: datetime
    hourly: list[float]
    weekly: list[float]
    peak_hours: list[int]
    weekend_share: float
    weekly_pattern: str
    sessions_per_week: float
    activity_level: str
    devices: dict[str, int]
    primary_device: str
    action_mix: dict[str, float]
    target_mix: dict[str, float]
    success_rate: float
    failure_types: dict[str, int]
    templates: dict[int, int]
    interests: dict[str, dict[int, int]]  # job/company ids acted on most, by target kind
    template_languages: dict[str, int]
    ai_events: int
    ai_accepted_share: float | None
    tone_ratings: dict[str, float]
    ai_languages: dict[str, int]
    notify_hours: list[int]
    median_session_seconds: float
    window_start: datetime
    window_end: datetime
    extra: dict[str, Any] = field(default_factory=dict)


def _local(df: pl.DataFrame, tz_by_user: dict[int, str]) -> pl.DataFrame:
    tz = pl.DataFrame(
        {"user_id": list(tz_by_user), "tz": list(tz_by_user.values())},
        schema={"user_id": df.schema["user_id"], "tz": pl.String},
    )
    df = df.join(tz, on="user_id", how="left").with_columns(pl.col("tz").fill_null("UTC"))
    parts = []
    for (zone,), part in df.partition_by("tz", as_dict=True).items():
        local = pl.col("ts").dt.convert_time_zone(str(zone))
        parts.append(part.with_columns(local.dt.hour().alias("hour"), local.dt.weekday().alias("weekday")))
    return pl.concat(parts) if parts else df.with_columns(pl.lit(0).alias("hour"), pl.lit(1).alias("weekday"))


def behavior_stats(
    events: pl.DataFrame, tz_by_user: dict[int, str], as_of: datetime
) -> dict[int, BehaviorStats]:
    """Per user behaviour statistics over the window before ``as_of``."""
    if events.is_empty():
        return {}
    start = as_of - timedelta(days=WINDOW_DAYS)
    df = events.filter(pl.col("ts") >= pl.lit(start).dt.cast_time_unit("us").dt.convert_time_zone("UTC"))
    if df.is_empty():
        return {}
    df = _local(df, tz_by_user)
    agents = df["user_agent"].unique().to_list()
    dev = pl.DataFrame(
        {"user_agent": agents, "device": [device_class(a) for a in agents]},
        schema={"user_agent": df.schema["user_agent"], "device": pl.String},
    )
    df = df.join(dev, on="user_agent", how="left")
    sess = (
        df.sort("ts")
        .group_by(["user_id", "session_id"])
        .agg(
            pl.col("ts").min().alias("start"),
            pl.col("ts").max().alias("end"),
            pl.col("hour").first(),
            pl.col("weekday").first(),
            pl.col("device").first(),
            (pl.col("action_target") == "notification").all().alias("notify"),
            pl.len().alias("n"),
        )
    )
    own = sess.filter(~pl.col("notify"))
    hourly = _hist(own, "hour", 24)
    weekly = _hist(own, "weekday", 7, offset=1)
    smooth_h = _smoothed(hourly, HOUR_COMPONENTS, HOUR_STRENGTH)
    smooth_w = _smoothed(weekly, WEEK_COMPONENTS, WEEK_STRENGTH)
    notify_h = sess.filter(pl.col("notify")).group_by("user_id").agg(pl.col("hour"))
    devices = own.group_by(["user_id", "device"]).len()
    per_user = df.group_by("user_id").agg(
        pl.len().alias("events"),
        pl.col("ts").min().alias("first"),
        pl.col("ts").max().alias("last"),
        pl.col("success").cast(pl.Float64).mean().alias("success_rate"),
    )
    sess_n = sess.group_by("user_id").agg(
        pl.len().alias("sessions"),
        pl.col("notify").sum().alias("notify_opens"),
        ((pl.col("end") - pl.col("start")).dt.total_seconds()).median().alias("med"),
    )
    actions = df.group_by(["user_id", "action_type"]).len()
    targets = df.group_by(["user_id", "action_target"]).len()
    details = pl.col("action_details")
    fails = (
        df.filter(~pl.col("success"))
        .with_columns(details.str.json_path_match("$.error").alias("err"))
        .drop_nulls("err")
        .group_by(["user_id", "err"])
        .len()
    )
    interest_rows = (
        df.filter(
            pl.col("action_target").is_in(["job", "company"]) & pl.col("action_target_id").is_not_null()
        )
        .group_by(["user_id", "action_target", "action_target_id"])
        .len()
        .sort(["user_id", "action_target", "len", "action_target_id"], descending=[False, False, True, False])
    )
    g_int: dict[int, dict[str, dict[int, int]]] = {}
    for uid, kind, tid, n in interest_rows.iter_rows():
        bucket = g_int.setdefault(uid, {}).setdefault(kind, {})
        if len(bucket) < INTEREST_TOP:
            bucket[int(tid)] = int(n)
    tmpl = (
        df.filter(pl.col("action_target") == "template")
        .with_columns(details.str.json_path_match("$.language").alias("lang"))
        .group_by(["user_id", "action_target_id", "lang"])
        .len()
    )
    ai = df.filter(pl.col("action_target") == "ai_assistant").with_columns(
        details.str.json_path_match("$.accepted").alias("accepted"),
        details.str.json_path_match("$.tone").alias("tone"),
        details.str.json_path_match("$.rating").cast(pl.Float64, strict=False).alias("rating"),
        details.str.json_path_match("$.lang").alias("lang"),
    )
    ai_acc = ai.group_by("user_id").agg(
        pl.len().alias("n"), (pl.col("accepted") == "true").mean().alias("acc")
    )
    ai_tone = ai.drop_nulls(["tone", "rating"]).group_by(["user_id", "tone"]).agg(pl.col("rating").mean())
    ai_lang = ai.drop_nulls("lang").group_by(["user_id", "lang"]).len()

    def grouped(frame: pl.DataFrame, key: str, val: str) -> dict[int, dict[Any, Any]]:
        out: dict[int, dict[Any, Any]] = {}
        # polars group-bys come back in no fixed order: sort, so identities are byte-for-byte reproducible
        for uid, k, v in (
            frame.select("user_id", key, val).sort(["user_id", key], nulls_last=True).iter_rows()
        ):
            out.setdefault(uid, {})[k] = v
        return out

    g_dev, g_act, g_tgt = (
        grouped(devices, "device", "len"),
        grouped(actions, "action_type", "len"),
        grouped(targets, "action_target", "len"),
    )
    g_fail, g_tone, g_lang = (
        grouped(fails, "err", "len"),
        grouped(ai_tone, "tone", "rating"),
        grouped(ai_lang, "lang", "len"),
    )
    g_tmpl: dict[int, dict[int, int]] = {}
    g_tlang: dict[int, dict[str, int]] = {}
    for uid, tid, lang, n in tmpl.sort(["user_id", "action_target_id", "lang"], nulls_last=True).iter_rows():
        if tid is not None:
            g_tmpl.setdefault(uid, {})[int(tid)] = g_tmpl.get(uid, {}).get(int(tid), 0) + n
        if lang:
            g_tlang.setdefault(uid, {})[lang] = g_tlang.get(uid, {}).get(lang, 0) + n
    g_ai = {uid: (n, acc) for uid, n, acc in ai_acc.iter_rows()}
    g_notify = {uid: hs for uid, hs in notify_h.iter_rows()}
    g_sess = {uid: (s, no, med) for uid, s, no, med in sess_n.iter_rows()}
    out: dict[int, BehaviorStats] = {}
    for uid, n_ev, first, last, succ in per_user.iter_rows():
        h = hourly.get(uid, np.zeros(24))
        w = weekly.get(uid, np.zeros(7))
        n_sess, n_notify, med = g_sess.get(uid, (0, 0, 0.0))
        own_sessions = int(h.sum())
        days = max(7.0, min(WINDOW_DAYS, (as_of - first).total_seconds() / 86400))
        per_week = own_sessions / days * 7
        sw = smooth_w.get(uid)
        weekend = float(sw[5:].sum()) if sw is not None else 0.0
        devs = {k: int(v) for k, v in g_dev.get(uid, {}).items()}
        acts, tgts = g_act.get(uid, {}), g_tgt.get(uid, {})
        n_ai, acc = g_ai.get(uid, (0, None))
        out[uid] = BehaviorStats(
            user_id=uid,
            events=n_ev,
            sessions=n_sess,
            notify_opens=int(n_notify),
            first=first,
            last=last,
            hourly=[round(float(x), 4) for x in (h / h.sum() if h.sum() else h)],
            weekly=[round(float(x), 4) for x in (w / w.sum() if w.sum() else w)],
            peak_hours=peak_hours(smooth_h[uid]) if uid in smooth_h else [],
            weekend_share=round(weekend, 3),
            weekly_pattern=weekly_pattern(weekend),
            sessions_per_week=round(per_week, 2),
            activity_level=activity_level(per_week),
            devices=devs,
            primary_device=max(sorted(devs), key=lambda k: devs[k]) if devs else "desktop",
            action_mix={k: round(v / n_ev, 4) for k, v in sorted(acts.items())},
            target_mix={k: round(v / n_ev, 4) for k, v in sorted(tgts.items())},
            success_rate=round(float(succ), 4),
            failure_types=dict(sorted(g_fail.get(uid, {}).items())),
            templates=dict(sorted(g_tmpl.get(uid, {}).items())),
            interests=g_int.get(uid, {}),
            template_languages=g_tlang.get(uid, {}),
            ai_events=int(n_ai),
            ai_accepted_share=None if acc is None else round(float(acc), 3),
            tone_ratings={k: round(float(v), 3) for k, v in g_tone.get(uid, {}).items()},
            ai_languages=g_lang.get(uid, {}),
            notify_hours=sorted(g_notify.get(uid, [])),
            median_session_seconds=float(med or 0.0),
            window_start=start,
            window_end=as_of,
        )
    _weekly_by_mixture(out, weekly)
    _assistance_by_mixture(out)
    return out


def _weekly_by_mixture(out: dict[int, BehaviorStats], weekly: dict[int, np.ndarray]) -> None:
    """Bayes classification of the weekly pattern: fit 3 weekday-profile components over all users, label each
    component by its weekend share, and give each user the label with the most posterior mass."""
    uids = [u for u in sorted(out) if u in weekly and weekly[u].sum() > 0]
    if len(uids) < 30:
        return  # too few users to learn the platform's patterns; the smoothed-share thresholds stand
    x = np.stack([weekly[u] for u in uids])
    _, comp, resp = fit_mixture(x, WEEK_COMPONENTS)
    labels = [weekly_pattern(float(c[5:].sum())) for c in comp]
    for i, u in enumerate(uids):
        mass: dict[str, float] = {}
        for j, lab in enumerate(labels):
            mass[lab] = mass.get(lab, 0.0) + float(resp[i, j])
        out[u].weekly_pattern = max(sorted(mass), key=lambda k: mass[k])
        out[u].extra["weekly_posterior"] = {k: round(v, 3) for k, v in mass.items()}


def _assistance_by_mixture(out: dict[int, BehaviorStats]) -> None:
    """Posterior over low/medium/high assistance use from a 3-component rate x acceptance mixture."""
    uids = sorted(out)
    if len(uids) < 30:
        return
    events = np.array([out[u].ai_events for u in uids], dtype=float)
    exposure = np.array([max(0, out[u].sessions - out[u].notify_opens) for u in uids], dtype=float)
    accepted = np.array([(out[u].ai_accepted_share or 0.0) * out[u].ai_events for u in uids], dtype=float)
    _, rates, acc, resp = fit_rate_mixture(events, exposure, accepted, 3)
    for i, u in enumerate(uids):
        out[u].extra["assistance_posterior"] = dict(
            zip(("low", "medium", "high"), (round(float(r), 4) for r in resp[i]), strict=True)
        )
        out[u].extra["assistance_model"] = {
            "rates": [round(float(r), 3) for r in rates],
            "accept": [round(float(a), 3) for a in acc],
        }


def _smoothed(hists: dict[int, np.ndarray], k: int, strength: float) -> dict[int, np.ndarray]:
    """Empirical-Bayes smoothing of every user's histogram (see ``mixture``)."""
    if not hists:
        return {}
    uids = sorted(hists)
    x = np.stack([hists[u] for u in uids])
    smooth, _, _ = smooth_counts(x, k, strength)
    return dict(zip(uids, smooth, strict=True))


def _hist(frame: pl.DataFrame, col: str, size: int, offset: int = 0) -> dict[int, np.ndarray]:
    counts = frame.group_by(["user_id", col]).len()
    out: dict[int, np.ndarray] = {}
    for uid, k, n in counts.iter_rows():
        out.setdefault(uid, np.zeros(size))[int(k) - offset] += n
    return out


def peak_hours(hist: np.ndarray, k: int = 3) -> list[int]:
    """Top ``k`` local hours of the circularly smoothed histogram, most active first."""
    if not hist.sum():
        return []
    smooth = 2 * hist + np.roll(hist, 1) + np.roll(hist, -1)
    order = sorted(range(24), key=lambda h: (-smooth[h], -hist[h], h))
    return order[:k]


def weekly_pattern(weekend_share: float) -> str:
    if weekend_share < 0.18:
        return "workweek"
    if weekend_share > 0.42:
        return "weekend"
    return "all_week"


def activity_level(sessions_per_week: float) -> str:
    return "low" if sessions_per_week < 0.6 else "medium" if sessions_per_week < 1.8 else "high"
