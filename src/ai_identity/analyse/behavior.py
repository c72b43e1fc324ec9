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

Computation. Rows arrive grouped by user, then session (the event copy is stored so; a frame is grouped on
arrival), in chunks of whole users. In each chunk the runs of equal ``user_id`` and ``session_key`` are found
once; per-user and per-session figures are NumPy segment reductions (``reduceat``) and bincounts on integer
codes of the fixed vocabularies; only the small lookups (failures, templates, tones, languages) are Polars
group-bys on filtered rows, and interests one sort of a packed key. Two chunks are reduced at a time on
threads; the mixtures are fit once on the concatenated per-user arrays (on a 20,000-user sample past that).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
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

    def __init__(self, frame: pl.DataFrame, cols: list[str], presorted: bool = False) -> None:
        if not presorted:
            frame = _sorted(frame, cols)
        self.frame, self.cols = frame, cols
        uid = frame["user_id"].to_numpy()
        self.starts = _starts(uid[1:] != uid[:-1]) if len(uid) else np.zeros(0, dtype=np.int64)
        self.uids = uid[self.starts]
        self.counts = np.diff(np.append(self.starts, len(uid)))
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


@dataclass
class _Part:
    """One chunk's users (whole users, ascending ids): per-user arrays and the small grouped frames."""

    uids: np.ndarray
    arrays: dict[str, np.ndarray]
    frames: dict[str, pl.DataFrame]


def _codes(col: pl.Series, values: tuple[str, ...]) -> np.ndarray:
    """Codes of a text column in the fixed vocabulary ``values``; anything else (or null) is ``len(values)``."""
    phys = col.cast(pl.Enum(list(values)), strict=False).to_physical()
    return phys.fill_null(len(values)).to_numpy().astype(np.int64)


def _starts(flags: np.ndarray) -> np.ndarray:
    """Indices where a run starts, given ``flags[i]`` = row ``i + 1`` differs from row ``i``."""
    return np.flatnonzero(np.concatenate(([True], flags)))


def _grouped(df: pl.DataFrame) -> pl.DataFrame:
    """Rows grouped by user, then session (kept as they are when already so)."""
    uid, key = df["user_id"].to_numpy(), df["session_key"].to_numpy()
    if len(uid) < 2:
        return df
    du = np.diff(uid)
    if (du >= 0).all() and ((du > 0) | (key[1:] >= key[:-1])).all():
        return df
    return df.sort(["user_id", "session_key"], maintain_order=True)


def _local(start: np.ndarray, zone_of_row: np.ndarray, zones: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Local hour (0-23) and ISO weekday (1-7) of UTC microsecond times, one conversion per time zone."""
    hour = np.zeros(len(start), dtype=np.int64)
    weekday = np.ones(len(start), dtype=np.int64)
    order = np.argsort(zone_of_row, kind="stable")
    cuts = _starts(np.diff(zone_of_row[order]) != 0)
    for a, b in zip(cuts, [*cuts[1:], len(order)], strict=True):
        idx = order[a:b]
        ts = pl.Series(start[idx]).cast(pl.Datetime("us", "UTC"))
        local = ts.dt.convert_time_zone(zones[int(zone_of_row[idx[0]])])
        hour[idx] = local.dt.hour().to_numpy()
        weekday[idx] = local.dt.weekday().to_numpy()
    return hour, weekday


_DEVICE_LEX = sorted(DEVICES)  # a session's device is the least of its rows' by name, as a group-by min gives
_DEVICE_OF_LEX = np.array([*(DEVICES.index(d) for d in _DEVICE_LEX), 0])  # no device known: desktop


def _part(df: pl.DataFrame, tz_by_user: Mapping[int, str]) -> _Part:
    """Reduce one chunk of whole users' rows, grouped by user then session, to per-user arrays: runs of equal
    ``user_id`` / ``session_key`` are found once, and every feature is a segment reduction or a bincount."""
    uid = df["user_id"].to_numpy()
    key = df["session_key"].fill_null(0).to_numpy()
    ts = df["ts_us"].to_numpy()
    new_user = uid[1:] != uid[:-1]
    ub = _starts(new_user)  # first row of each user
    sb = _starts(new_user | (key[1:] != key[:-1]))  # first row of each session
    users = uid[ub]
    n = len(users)
    row_user = np.cumsum(np.concatenate(([0], new_user)), dtype=np.int64)
    counts = np.diff(np.append(ub, len(uid)))
    target = _codes(df["action_target"], TARGETS[:-1])
    is_ai = target == TARGETS.index("ai_assistant")
    succ = df["success"]
    known = (~succ.is_null()).to_numpy()
    ok = succ.fill_null(False).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        success = np.add.reduceat(ok, ub).astype(float) / np.add.reduceat(known, ub)
    accepted = (
        df["d_accepted"].fill_null(False).to_numpy() if "d_accepted" in df.columns else np.zeros(len(uid))
    )
    arrays: dict[str, np.ndarray] = {
        "events": counts,
        "first": np.minimum.reduceat(ts, ub),
        "last": np.maximum.reduceat(ts, ub),
        "success": success,
        "ai": np.add.reduceat(is_ai, ub).astype(np.int64),
        "ai_ok": np.add.reduceat(is_ai & accepted, ub).astype(np.int64),
        "actions": _bincount2(row_user, _codes(df["action_type"], ACTIONS[:-1]), n, len(ACTIONS)),
        "targets": _bincount2(row_user, target, n, len(TARGETS)),
    }
    # sessions: start, end, notification-only, device (the least by name, as before)
    s_user = row_user[sb]
    start, end = np.minimum.reduceat(ts, sb), np.maximum.reduceat(ts, sb)
    notify = np.logical_and.reduceat(target == TARGETS.index("notification"), sb)
    dev = _codes(df["device"], tuple(_DEVICE_LEX))
    s_dev = _DEVICE_OF_LEX[np.minimum.reduceat(dev, sb)]
    zones = sorted({z for u in users.tolist() if (z := tz_by_user.get(u))} | {"UTC"})
    zcode = {z: i for i, z in enumerate(zones)}
    user_zone = np.array([zcode[tz_by_user.get(u) or "UTC"] for u in users.tolist()], dtype=np.int64)
    hour, weekday = _local(start, user_zone[s_user], zones)
    own = ~notify
    arrays["hourly"] = _bincount2(s_user[own], hour[own], n, 24).astype(float)
    arrays["weekly"] = _bincount2(s_user[own], weekday[own] - 1, n, 7).astype(float)
    arrays["devices"] = _bincount2(s_user[own], s_dev[own], n, len(DEVICES)).astype(float)
    arrays["sessions"] = np.bincount(s_user, minlength=n).astype(float)
    arrays["notify"] = np.bincount(s_user, weights=notify, minlength=n)
    # median session length per user: sessions are contiguous per user; sort lengths within each user
    length = (end - start) / 1e6
    order = np.lexsort((length, s_user))
    srt = length[order]
    first_s = _starts(np.diff(s_user) != 0)
    cnt = np.diff(np.append(first_s, len(s_user)))
    arrays["median_s"] = (srt[first_s + (cnt - 1) // 2] + srt[first_s + cnt // 2]) / 2
    notify_rows = pl.DataFrame({"user_id": users[s_user[notify]], "hour": hour[notify].astype(np.int8)})
    return _Part(users, arrays, _group_frames(df, users, row_user, target, notify_rows))


def _bincount2(row: np.ndarray, col: np.ndarray, n: int, width: int) -> np.ndarray:
    """An ``n`` x ``width`` table counting the (row, col) pairs."""
    return np.bincount(row * width + col, minlength=n * width).reshape(n, width)


def behavior_stats(
    events: pl.DataFrame | Iterable[pl.DataFrame], tz_by_user: Mapping[int, str], as_of: datetime
) -> BehaviorTable:
    """Every user's behaviour features over the window before ``as_of``. ``events`` is one frame, or chunks
    that each hold all rows of their users, grouped by user then session, users ascending across chunks (as
    :func:`~ai_identity.sources.embedded.events.read_event_chunks` hands them out; two chunks are reduced at a
    time, in threads: Polars and NumPy release the GIL)."""
    start = as_of - timedelta(days=WINDOW_DAYS)
    start_us = int(start.timestamp() * 1_000_000)
    chunks = [events] if isinstance(events, pl.DataFrame) else events
    single = isinstance(events, pl.DataFrame)

    def reduce(df: pl.DataFrame) -> _Part | None:
        if df.is_empty():
            return None
        if "ts_us" not in df.columns or "device" not in df.columns:
            from ai_identity.sources.embedded.events import normalise

            df = normalise(df.drop([c for c in ("ts_us", "device", "session_key") if c in df.columns]))
        if "session_key" not in df.columns:
            df = df.with_columns(pl.col("session_id").cast(pl.String).hash(seed=0).alias("session_key"))
        low = df["ts_us"].min()
        if low is None or low < start_us:  # type: ignore[operator]
            df = df.filter(pl.col("ts_us") >= start_us)
        if df.is_empty():
            return None
        return _part(_grouped(df) if single else df, tz_by_user)

    parts = [p for p in _map_bounded(reduce, chunks) if p is not None]
    if not parts:
        return BehaviorTable(np.zeros(0, dtype=np.int64), {}, {}, (start, as_of))
    uids = np.concatenate([p.uids for p in parts])
    arrays = {k: np.concatenate([p.arrays[k] for p in parts]) for k in parts[0].arrays}
    frames = {k: pl.concat([p.frames[k] for p in parts], how="vertical_relaxed") for k in parts[0].frames}
    del parts
    with np.errstate(invalid="ignore", divide="ignore"):
        arrays["ai_acc"] = np.where(arrays["ai"] > 0, arrays.pop("ai_ok") / arrays["ai"], np.nan)
    own_n = arrays["hourly"].sum(axis=1)
    days = np.clip((int(as_of.timestamp() * 1e6) - arrays["first"]) / 86_400e6, 7.0, WINDOW_DAYS)
    arrays["per_week"] = own_n / days * 7
    _rhythms(arrays)
    _assistance(arrays)
    return BehaviorTable(uids, arrays, _groups(frames), (start, as_of))


def _map_bounded(fn: Callable[[pl.DataFrame], _Part | None], items: Iterable[pl.DataFrame]) -> Iterator[Any]:
    """``map(fn, items)`` on two threads, in order, holding at most three items at once."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        pending: list[Any] = []
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= 2:
                yield pending.pop(0).result()
        for fut in pending:
            yield fut.result()


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


def _group_frames(
    df: pl.DataFrame, users: np.ndarray, row_user: np.ndarray, target: np.ndarray, notify_rows: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """One chunk's small grouped frames (failure types, templates, interests, tones, AI languages, the hours of
    notification opens); concatenated over chunks they become the table's per-user lookups."""
    ai = df.select("user_id", "action_target", "d_tone", "d_rating", "d_lang").filter(
        pl.Series(target == TARGETS.index("ai_assistant"))
    )
    frames = {
        "failures": df.select("user_id", "success", "d_error")
        .filter(~pl.col("success") & pl.col("d_error").is_not_null())
        .group_by(["user_id", "d_error"])
        .len(),
        "templates": df.select("user_id", "action_target_id", "d_language")
        .filter(pl.Series(target == TARGETS.index("template")))
        .group_by(["user_id", "action_target_id", "d_language"])
        .len(),
        "interests": _interests(users, row_user, target, df["action_target_id"]),
        "tones": ai.drop_nulls(["d_tone", "d_rating"])
        .group_by(["user_id", "d_tone"])
        .agg(pl.col("d_rating").mean()),
        "ai_langs": ai.drop_nulls("d_lang").group_by(["user_id", "d_lang"]).len(),
        "notify_hours": notify_rows,
    }
    return {k: _sorted(v, _GROUP_COLUMNS[k]) if k in _GROUP_COLUMNS else v for k, v in frames.items()}


_INTEREST_KINDS = ("company", "job")


def _interests(
    users: np.ndarray, row_user: np.ndarray, target: np.ndarray, target_id: pl.Series
) -> pl.DataFrame:
    """Per user and kind (company, job): the ``INTEREST_TOP`` ids acted on most, most first, ties by id."""
    codes = [TARGETS.index(k) for k in _INTEREST_KINDS]
    sel = np.flatnonzero(((target == codes[0]) | (target == codes[1])) & target_id.is_not_null().to_numpy())
    uk = row_user[sel] * 2 + (target[sel] == codes[1])  # (user, kind) as one key
    ids = target_id.fill_null(0).to_numpy()[sel]
    # distinct (user, kind, id) with counts: one sort of a packed key when the ids fit in 32 bits
    if len(ids) and ids.min() >= 0 and ids.max() < 1 << 32 and uk.max() < 1 << 30:
        packed, n = np.unique((uk << 32) | ids, return_counts=True)
        uk, ids = packed >> 32, packed & 0xFFFFFFFF
    else:
        o = np.lexsort((ids, uk))
        uk, ids = uk[o], ids[o]
        first = _starts((uk[1:] != uk[:-1]) | (ids[1:] != ids[:-1])) if len(uk) else sel[:0]
        n = np.diff(np.append(first, len(uk)))
        uk, ids = uk[first], ids[first]
    # within each (user, kind): most acted on first, ties by id (ids already ascending within a count)
    o = np.lexsort((-n, uk))
    uk, ids, n = uk[o], ids[o], n[o]
    pos = np.arange(len(uk))
    group = pos[_starts(uk[1:] != uk[:-1])] if len(uk) else pos
    rank = pos - np.repeat(group, np.diff(np.append(group, len(uk))))
    u, k, i = uk >> 1, uk & 1, ids
    keep = rank < INTEREST_TOP
    return pl.DataFrame(
        {
            "user_id": users[u[keep]],
            "action_target": pl.Series(_INTEREST_KINDS).gather(k[keep]),
            "action_target_id": i[keep],
            "len": n[keep].astype(np.uint32),
        },
        schema={
            "user_id": pl.Int64,
            "action_target": pl.String,
            "action_target_id": pl.Int64,
            "len": pl.UInt32,
        },
    )


_GROUP_COLUMNS = {
    "failures": ["d_error", "len"],
    "templates": ["action_target_id", "d_language", "len"],
    "tones": ["d_tone", "d_rating"],
    "ai_langs": ["d_lang", "len"],
    "notify_hours": ["hour"],
}


def _sorted(frame: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    return frame.sort(["user_id", *cols[:-1]], nulls_last=True)


def _groups(f: dict[str, pl.DataFrame]) -> dict[str, _Groups]:
    """The lookups over the concatenated chunk frames (each chunk's already sorted, users ascending)."""
    out: dict[str, _Groups] = {k: _Groups(f[k], cols, presorted=True) for k, cols in _GROUP_COLUMNS.items()}
    out["interests"] = _Interests(f["interests"])
    return out


class _Interests(_Groups):
    """Interest rows keep their ranking (count, then id) instead of the default sort."""

    def __init__(self, frame: pl.DataFrame) -> None:
        # already in user order, ranked within each user: the row index is the rank
        cols = ["_rank", "action_target", "action_target_id", "len"]
        super().__init__(frame.with_row_index("_rank"), cols, presorted=True)

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
