"""Behaviour facet, computed columnar over all users' events at once (Polars + NumPy; no Python loop per
event, none per user until a user's identity is assembled).

Method. Events group into sessions (by ``session_id``); a session made only of notification views is a
*notification open* and is kept apart, since its timing follows the notification, not the user's own rhythm.
Session starts are converted to each user's local time (one conversion per time zone present). Over the
user's own sessions: the 24-hour and 7-day rhythms are session-start histograms; ``peak_hours`` are the top
hours of the 24-hour histogram after empirical-Bayes smoothing against the platform's rhythms (``mixture``)
and a circular [1, 2, 1] kernel; the weekly pattern is a Bayes classification against weekday profiles learnt
from all users (each labelled by its weekend share: below 18% a five-day week, above 42% a weekend habit,
between an even week). Devices come from the event store's per-agent ``device`` column and are counted per
session. Action/target mixes, success rate and failure types, templates and their language, interests (the
jobs and companies acted on most) and AI-assistant interactions are group-bys over pre-parsed detail columns.
The window is the ``WINDOW_DAYS`` days before the cut-off. Results live in a :class:`BehaviorTable`; one
user's :class:`BehaviorStats` is materialised when asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from ai_identity.analyse.mixture import fit_rate_mixture, smooth_counts
from ai_identity.features.devices import device_class
from ai_identity.model.enums import ActionTarget, ActionType
from ai_identity.sources.embedded.events import DERIVED_COLUMNS

__all__ = [
    "BehaviorStats",
    "BehaviorTable",
    "activity_level",
    "behavior_stats",
    "device_class",
    "peak_hours",
    "weekly_pattern",
]

WINDOW_DAYS = 90
INTEREST_TOP = 15
HOUR_COMPONENTS, HOUR_STRENGTH = 8, 20.0
WEEK_COMPONENTS, WEEK_STRENGTH = 3, 5.0
DEVICES = ("desktop", "mobile", "tablet", "bot")
# the event columns behaviour needs (read just these: less memory, faster)
COLUMNS = [
    "user_id",
    "action_type",
    "action_target",
    "action_target_id",
    "success",
    *(c for c in DERIVED_COLUMNS if c != "details_ok"),
]
LEVELS3 = ("low", "medium", "high")
ACTIONS = (*sorted(a.value for a in ActionType), "other")
TARGETS = (*sorted(t.value for t in ActionTarget), "other")


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


class _Groups:
    """Rows of a frame sorted by ``user_id``, sliced per user on demand (columns become lists on first use)."""

    def __init__(self, frame: pl.DataFrame, cols: list[str]) -> None:
        frame = frame.sort(["user_id", *cols[:-1]], nulls_last=True)
        self.frame, self.cols = frame, cols
        uid = frame["user_id"].to_numpy()
        self.uids, self.starts, self.counts = np.unique(uid, return_index=True, return_counts=True)
        self._lists: list[list[Any]] | None = None

    def rows(self, user_id: int) -> list[tuple[Any, ...]]:
        i = int(np.searchsorted(self.uids, user_id))
        if i >= len(self.uids) or self.uids[i] != user_id:
            return []
        if self._lists is None:
            self._lists = [self.frame[c].to_list() for c in self.cols]
        a, b = int(self.starts[i]), int(self.starts[i] + self.counts[i])
        return list(zip(*(col[a:b] for col in self._lists), strict=True))


class BehaviorTable(Mapping[int, BehaviorStats]):
    """Every user's behaviour features as arrays; ``table[user_id]`` materialises one user's stats."""

    def __init__(
        self,
        uids: np.ndarray,
        arrays: dict[str, np.ndarray],
        groups: dict[str, _Groups],
        window: tuple[datetime, datetime],
    ) -> None:
        self.uids, self.a, self.g, self.window = uids, arrays, groups, window
        self._index = {int(u): i for i, u in enumerate(uids)}
        self._cache: dict[int, BehaviorStats] = {}

    def __getitem__(self, user_id: int) -> BehaviorStats:
        if user_id not in self._cache:
            if user_id not in self._index:
                raise KeyError(user_id)
            self._cache[user_id] = self._materialise(user_id, self._index[user_id])
        return self._cache[user_id]

    def __iter__(self) -> Iterator[int]:
        return iter(int(u) for u in self.uids)

    def __len__(self) -> int:
        return len(self.uids)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._index

    def assistance_posteriors(self) -> dict[int, dict[str, float]]:
        post = self.a.get("assist_post")
        if post is None:
            return {}
        return {int(u): dict(zip(LEVELS3, map(float, post[i]), strict=True)) for i, u in enumerate(self.uids)}

    def _materialise(self, uid: int, i: int) -> BehaviorStats:
        a = self.a
        h, w = a["hourly"][i], a["weekly"][i]
        n_ev = int(a["events"][i])
        devs = {d: int(a["devices"][i, j]) for j, d in enumerate(DEVICES) if a["devices"][i, j]}
        tmpl: dict[int, int] = {}
        tlang: dict[str, int] = {}
        for tid, lang, n in self.g["templates"].rows(uid):
            if tid is not None:
                tmpl[int(tid)] = tmpl.get(int(tid), 0) + n
            if lang:
                tlang[lang] = tlang.get(lang, 0) + n
        interests: dict[str, dict[int, int]] = {}
        for kind, tid, n in self.g["interests"].rows(uid):
            interests.setdefault(kind, {})[int(tid)] = int(n)
        extra: dict[str, Any] = {}
        if "assist_post" in a:
            extra["assistance_posterior"] = dict(
                zip(LEVELS3, (round(float(x), 4) for x in a["assist_post"][i]), strict=True)
            )
        if "weekly_post" in a:
            extra["weekly_posterior"] = {
                k: round(float(v), 3)
                for k, v in zip(("workweek", "all_week", "weekend"), a["weekly_post"][i], strict=True)
            }
        acc = a["ai_acc"][i]
        return BehaviorStats(
            user_id=uid,
            events=n_ev,
            sessions=int(a["sessions"][i]),
            notify_opens=int(a["notify"][i]),
            first=_dt(a["first"][i]),
            last=_dt(a["last"][i]),
            hourly=[round(float(x), 4) for x in (h / h.sum() if h.sum() else h)],
            weekly=[round(float(x), 4) for x in (w / w.sum() if w.sum() else w)],
            peak_hours=[int(x) for x in a["peaks"][i] if x >= 0],
            weekend_share=round(float(a["weekend"][i]), 3),
            weekly_pattern=str(a["pattern"][i]),
            sessions_per_week=round(float(a["per_week"][i]), 2),
            activity_level=activity_level(float(a["per_week"][i])),
            devices=devs,
            primary_device=max(sorted(devs), key=lambda k: devs[k]) if devs else "desktop",
            action_mix={
                k: round(int(c) / n_ev, 4) for k, c in zip(ACTIONS, a["actions"][i], strict=True) if c
            },
            target_mix={
                k: round(int(c) / n_ev, 4) for k, c in zip(TARGETS, a["targets"][i], strict=True) if c
            },
            success_rate=round(float(a["success"][i]), 4),
            failure_types={k: int(n) for k, n in self.g["failures"].rows(uid)},
            templates=dict(sorted(tmpl.items())),
            interests=interests,
            template_languages=tlang,
            ai_events=int(a["ai"][i]),
            ai_accepted_share=None if np.isnan(acc) else round(float(acc), 3),
            tone_ratings={k: round(float(r), 3) for k, r in self.g["tones"].rows(uid)},
            ai_languages={k: int(n) for k, n in self.g["ai_langs"].rows(uid)},
            notify_hours=sorted(int(x) for (x,) in self.g["notify_hours"].rows(uid)),
            median_session_seconds=float(a["median_s"][i]),
            window_start=self.window[0],
            window_end=self.window[1],
            extra=extra,
        )


def _dt(us: Any) -> datetime:
    return datetime.fromtimestamp(int(us) / 1e6, UTC)


def _session_local(sess: pl.DataFrame, tz_by_user: dict[int, str]) -> pl.DataFrame:
    """Local hour and ISO weekday of each session start, one conversion per time zone."""
    tz = pl.DataFrame(
        {"user_id": list(tz_by_user), "tz": list(tz_by_user.values())},
        schema={"user_id": sess.schema["user_id"], "tz": pl.String},
    )
    sess = sess.join(tz, on="user_id", how="left").with_columns(pl.col("tz").fill_null("UTC"))
    parts = []
    for (zone,), part in sess.partition_by("tz", as_dict=True).items():
        local = pl.col("start").cast(pl.Datetime("us", "UTC")).dt.convert_time_zone(str(zone))
        parts.append(part.with_columns(local.dt.hour().alias("hour"), local.dt.weekday().alias("weekday")))
    return pl.concat(parts)


def _matrix(index: np.ndarray, cols: np.ndarray, n: int, width: int) -> np.ndarray:
    m = np.zeros((n, width))
    np.add.at(m, (index, cols), 1)
    return m


def behavior_stats(events: pl.DataFrame, tz_by_user: dict[int, str], as_of: datetime) -> BehaviorTable:
    """Every user's behaviour features over the window before ``as_of``."""
    start = as_of - timedelta(days=WINDOW_DAYS)
    empty = BehaviorTable(np.zeros(0, dtype=np.int64), {}, {}, (start, as_of))
    if events.is_empty():
        return empty
    if "ts_us" not in events.columns or "device" not in events.columns:
        from ai_identity.sources.embedded.events import normalise

        events = normalise(
            events.drop([c for c in ("ts_us", "device", "session_key") if c in events.columns])
        )
    start_us = int(start.timestamp() * 1_000_000)
    low = events["ts_us"].min()
    df = events if low is not None and low >= start_us else events.filter(pl.col("ts_us") >= start_us)
    if df.is_empty():
        return empty
    if "session_key" not in df.columns:
        df = df.with_columns(pl.col("session_id").cast(pl.String).hash(seed=0).alias("session_key"))
    sess = df.group_by(["user_id", "session_key"]).agg(
        pl.col("ts_us").min().alias("start"),
        pl.col("ts_us").max().alias("end"),
        (pl.col("action_target") == "notification").all().alias("notify"),
        pl.col("device").min().alias("device"),
    )
    sess = _session_local(sess, tz_by_user)
    per_user = (
        df.group_by("user_id")
        .agg(
            pl.len().alias("events"),
            pl.col("ts_us").min().alias("first"),
            pl.col("ts_us").max().alias("last"),
            pl.col("success").cast(pl.Float64).mean().alias("success"),
            (pl.col("action_target") == "ai_assistant").sum().alias("ai"),
            ((pl.col("action_target") == "ai_assistant") & pl.col("d_accepted").fill_null(False))
            .sum()
            .alias("ai_ok"),
        )
        .sort("user_id")
    )
    uids = per_user["user_id"].to_numpy()
    n = len(uids)
    own = sess.filter(~pl.col("notify"))
    oi = np.searchsorted(uids, own["user_id"].to_numpy())
    hourly = _matrix(oi, own["hour"].to_numpy(), n, 24)
    weekly = _matrix(oi, own["weekday"].to_numpy() - 1, n, 7)
    dev_code = own["device"].replace_strict(
        {d: i for i, d in enumerate(DEVICES)}, default=0, return_dtype=pl.Int64
    )
    devices = _matrix(oi, dev_code.to_numpy(), n, len(DEVICES))
    s_stats = (
        sess.group_by("user_id")
        .agg(
            pl.len().alias("sessions"),
            pl.col("notify").sum().alias("notify"),
            ((pl.col("end") - pl.col("start")) / 1e6).median().alias("median_s"),
        )
        .sort("user_id")
    )
    s_idx = np.searchsorted(uids, s_stats["user_id"].to_numpy())
    arrays: dict[str, np.ndarray] = {
        "events": per_user["events"].to_numpy(),
        "first": per_user["first"].to_numpy(),
        "last": per_user["last"].to_numpy(),
        "success": per_user["success"].to_numpy(),
        "ai": per_user["ai"].to_numpy(),
        "hourly": hourly,
        "weekly": weekly,
        "devices": devices,
        "sessions": np.zeros(n),
        "notify": np.zeros(n),
        "median_s": np.zeros(n),
    }
    arrays["sessions"][s_idx] = s_stats["sessions"].to_numpy()
    arrays["notify"][s_idx] = s_stats["notify"].to_numpy()
    arrays["median_s"][s_idx] = s_stats["median_s"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        arrays["ai_acc"] = np.where(arrays["ai"] > 0, per_user["ai_ok"].to_numpy() / arrays["ai"], np.nan)
    own_n = hourly.sum(axis=1)
    days = np.clip((int(as_of.timestamp() * 1e6) - arrays["first"]) / 86_400e6, 7.0, WINDOW_DAYS)
    arrays["per_week"] = own_n / days * 7
    _rhythms(arrays)
    _assistance(arrays)
    ui = np.searchsorted(uids, df["user_id"].to_numpy())
    arrays["actions"] = _counts(ui, df["action_type"], ACTIONS, n)
    arrays["targets"] = _counts(ui, df["action_target"], TARGETS, n)
    groups = _group_frames(df, sess)
    return BehaviorTable(uids, arrays, groups, (start, as_of))


def _counts(index: np.ndarray, col: pl.Series, values: tuple[str, ...], n: int) -> np.ndarray:
    """Per-user counts of each of ``values`` (a fixed vocabulary), by bincount on the Enum codes."""
    # values outside the vocabulary (only possible when called on unvalidated rows) count as the last, "other"
    phys = col.cast(pl.Enum(list(values[:-1])), strict=False).to_physical()
    codes = phys.fill_null(len(values) - 1).to_numpy().astype(np.int64)
    m = np.bincount(index * len(values) + codes, minlength=n * len(values))
    return m.reshape(n, len(values))


def _rhythms(a: dict[str, np.ndarray]) -> None:
    """Peak hours from the smoothed 24-hour histograms; weekly pattern by mixture classification."""
    h, w = a["hourly"], a["weekly"]
    n = len(h)
    peaks = np.full((n, 3), -1)
    has = h.sum(axis=1) > 0
    if has.any():
        smooth, _, _ = smooth_counts(h[has], HOUR_COMPONENTS, HOUR_STRENGTH)
        circ = 2 * smooth + np.roll(smooth, 1, axis=1) + np.roll(smooth, -1, axis=1)
        # rank by smoothed value, ties by raw count then by hour (stable, deterministic)
        order = np.lexsort((np.tile(np.arange(24), (len(circ), 1)), -h[has], -circ), axis=1)[:, :3]
        peaks[has] = order
    a["peaks"] = peaks
    wk = w.sum(axis=1) > 0
    weekend = np.zeros(n)
    pattern = np.array(["workweek"] * n, dtype=object)
    if wk.any():
        smooth_w, comp, resp = smooth_counts(w[wk], WEEK_COMPONENTS, WEEK_STRENGTH)
        weekend[wk] = smooth_w[:, 5:].sum(axis=1)
        if wk.sum() >= 30:
            labels = [weekly_pattern(float(c[5:].sum())) for c in comp]
            names = ("workweek", "all_week", "weekend")
            post = np.zeros((int(wk.sum()), 3))
            for j, lab in enumerate(labels):
                post[:, names.index(lab)] += resp[:, j]
            pattern[wk] = np.array(names, dtype=object)[post.argmax(axis=1)]
            full = np.zeros((n, 3))
            full[wk] = post
            a["weekly_post"] = full
        else:
            pattern[wk] = [weekly_pattern(x) for x in weekend[wk]]
    a["weekend"], a["pattern"] = weekend, pattern


def _assistance(a: dict[str, np.ndarray]) -> None:
    """Posterior over low/medium/high assistance use from a 3-component rate x acceptance mixture."""
    if len(a["events"]) < 30:
        return
    events = a["ai"].astype(float)
    exposure = np.maximum(a["sessions"] - a["notify"], 0).astype(float)
    accepted = np.nan_to_num(a["ai_acc"]) * events
    _, _, _, resp = fit_rate_mixture(events, exposure, accepted, 3)
    a["assist_post"] = resp


def _group_frames(df: pl.DataFrame, sess: pl.DataFrame) -> dict[str, _Groups]:
    interests = (
        df.filter(
            pl.col("action_target").is_in(["job", "company"]) & pl.col("action_target_id").is_not_null()
        )
        .group_by(["user_id", "action_target", "action_target_id"])
        .len()
        .sort(["user_id", "action_target", "len", "action_target_id"], descending=[False, False, True, False])
        .group_by(["user_id", "action_target"], maintain_order=True)
        .head(INTEREST_TOP)
    )
    ai = df.filter(pl.col("action_target") == "ai_assistant")
    return {
        "failures": _Groups(
            df.filter(~pl.col("success") & pl.col("d_error").is_not_null())
            .group_by(["user_id", "d_error"])
            .len(),
            ["d_error", "len"],
        ),
        "templates": _Groups(
            df.filter(pl.col("action_target") == "template")
            .group_by(["user_id", "action_target_id", "d_language"])
            .len(),
            ["action_target_id", "d_language", "len"],
        ),
        "interests": _Interests(interests),
        "tones": _Groups(
            ai.drop_nulls(["d_tone", "d_rating"])
            .group_by(["user_id", "d_tone"])
            .agg(pl.col("d_rating").mean()),
            ["d_tone", "d_rating"],
        ),
        "ai_langs": _Groups(ai.drop_nulls("d_lang").group_by(["user_id", "d_lang"]).len(), ["d_lang", "len"]),
        "notify_hours": _Groups(sess.filter(pl.col("notify")).select("user_id", "hour"), ["hour"]),
    }


class _Interests(_Groups):
    """Interest rows keep their ranking (count, then id) instead of the default sort."""

    def __init__(self, frame: pl.DataFrame) -> None:
        super().__init__(frame.with_row_index("_rank"), ["_rank", "action_target", "action_target_id", "len"])

    def rows(self, user_id: int) -> list[tuple[Any, ...]]:
        return [r[1:] for r in super().rows(user_id)]


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
