"""Samples behaviour events (the statistics service's ``UserBehaviorAnalysis``) from each user's hidden truth.

Method: per user, sessions are drawn over the window (rate by activity level; the local day by the weekly
pattern; the local hour by the rhythm curve), converted to UTC with the user's IANA zone (offsets looked up
per zone and day, so DST is honoured). Everything after the session table is columnar NumPy: events are
repeated out of sessions, actions drawn from the user's archetype by inverse-CDF sampling, durations from
log-normals, failures from the user's success rate. AI-assistant interactions reveal the assistance level and
tone; notification opens reveal the notification time; template views reveal the language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from ai_identity.synth.people import NOTIFY_WINDOWS, rhythm_curve, user_rng
from ai_identity.synth.truth import UserTruth

WINDOW_DAYS = 90
SESSION_RATE = {"low": 0.1, "medium": 0.25, "high": 0.6}
WEEKDAY_WEIGHTS = {
    "workweek": (1.0, 1.0, 1.0, 1.0, 1.0, 0.22, 0.22),
    "weekend": (0.3, 0.3, 0.3, 0.3, 0.35, 1.0, 1.0),
    "all_week": (1.0,) * 7,
}
AI_SESSION_SHARE = {"low": 0.04, "medium": 0.3, "high": 0.75}
AI_ACCEPT = {"low": 0.3, "medium": 0.6, "high": 0.88}
FAVOURITE_SHARE = 0.6  # share of job/company actions on the user's own favourites

USER_AGENTS: dict[str, tuple[str, ...]] = {
    "desktop": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
        "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36 QIHU 360SE",
    ),
    "mobile": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323c) NetType/WIFI Language/zh_CN",
        "Mozilla/5.0 (Linux; Android 12; V2183A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/101.0.4951.74 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64",
        "Mozilla/5.0 (Linux; Android 14; 23127PN0CC) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36 XiaoMi/MiuiBrowser/18.3.40",
    ),
    "tablet": (
        "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 12; Lenovo TB-J716F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    ),
    "bot": (
        "python-requests/2.32.3",
        "curl/8.5.0",
        "Go-http-client/1.1",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    ),
}
DEVICE_CLASSES = ("desktop", "mobile", "tablet", "bot")

# (action_type, action_target) combinations and per-archetype weights
ACTIONS: tuple[tuple[str, str], ...] = (
    ("view", "job"),
    ("search", "job"),
    ("apply", "job"),
    ("view", "company"),
    ("view", "resume"),
    ("update", "resume"),
    ("create", "resume"),
    ("view", "template"),
    ("update", "template"),
    ("share", "resume"),
    ("view", "profile"),
    ("update", "profile"),
    ("delete", "resume"),
    ("logout", "session"),
)
ARCHETYPES = {
    "job_seeker": (30, 18, 8, 12, 6, 4, 1, 3, 1, 1, 5, 1, 0.3, 4),
    "resume_builder": (8, 4, 2, 4, 15, 20, 4, 14, 8, 3, 5, 2, 1.0, 4),
    "explorer": (22, 20, 2, 22, 6, 2, 1, 6, 1, 2, 8, 1, 0.3, 4),
}
ERROR_TYPES = ("timeout", "validation_error", "permission_denied", "network_error", "server_error")
ERROR_WEIGHTS = (0.3, 0.35, 0.1, 0.15, 0.1)
TEMPLATES_ZH = range(1, 21)
TEMPLATES_EN = range(21, 41)


@dataclass
class EventColumns:
    """The sampled events as columns (one entry per event) plus the session table they came from."""

    columns: dict[str, np.ndarray]
    sessions: dict[str, np.ndarray]


def _utc_offsets(zones: list[str], start: date, days: int) -> np.ndarray:
    """Seconds east of UTC for each zone and each local day (at local noon)."""
    out = np.zeros((len(zones), days + 1), dtype=np.int64)
    for i, z in enumerate(zones):
        tz = ZoneInfo(z)
        for d in range(days + 1):
            moment = datetime.combine(start + timedelta(days=d), datetime.min.time()).replace(
                hour=12, tzinfo=tz
            )
            off = moment.utcoffset()
            out[i, d] = int(off.total_seconds()) if off else 0
    return out


def _sessions_for(u: UserTruth, seed: int, now: datetime, first_day: date) -> list[tuple]:
    """(local day index, local seconds of day, device class, ua index, kind) for one user's sessions."""
    rng = user_rng(seed, u.person.user_id, "sessions")
    b = u.behavior
    curve = rhythm_curve(b.rhythm)
    weights = WEEKDAY_WEIGHTS[b.weekly_pattern]
    start_day = max(0, (u.signup - first_day).days)
    days = [d for d in range(start_day, WINDOW_DAYS)]
    if not days:
        return []
    day_w = [weights[(first_day + timedelta(days=d)).weekday()] for d in days]
    n = np.random.default_rng(rng.getrandbits(63)).poisson(SESSION_RATE[b.activity_level] * len(days))
    n = max(int(n), 1)
    fav = {c: rng.randrange(len(USER_AGENTS[c])) for c in DEVICE_CLASSES}
    out = []
    picked_days = rng.choices(days, day_w, k=n)
    hours = rng.choices(range(24), curve, k=n)
    for d, h in zip(picked_days, hours, strict=True):
        if b.primary_device == "bot":
            dev = "bot" if rng.random() < 0.9 else "desktop"
        else:
            dev = (
                b.primary_device
                if rng.random() < 0.8
                else rng.choice([c for c in DEVICE_CLASSES[:3] if c != b.primary_device])
            )
        ua = fav[dev] if rng.random() < 0.7 else rng.randrange(len(USER_AGENTS[dev]))
        out.append((d, h * 3600 + rng.randrange(3600), dev, ua, "main"))
    # notification opens: short sessions at the truly preferred notification time
    window = NOTIFY_WINDOWS[u.preferences.notification_time]
    for _ in range(rng.randint(3, 9)):
        h = rng.choice(window) if rng.random() < 0.9 else rng.randrange(24)
        dev = b.primary_device if b.primary_device != "bot" else "mobile"
        out.append((rng.choice(days), h * 3600 + rng.randrange(3600), dev, fav[dev], "notify"))
    del now
    return out


def sample_events(users: list[UserTruth], seed: int, now: datetime) -> EventColumns:
    """All users' events over the ``WINDOW_DAYS`` days before ``now`` (UTC), as columns."""
    first_day = (now - timedelta(days=WINDOW_DAYS)).date()
    zones = sorted({u.behavior.timezone for u in users})
    zone_idx = {z: i for i, z in enumerate(zones)}
    offsets = _utc_offsets(zones, first_day, WINDOW_DAYS)
    ua_list = [ua for c in DEVICE_CLASSES for ua in USER_AGENTS[c]]
    ua_base = {c: sum(len(USER_AGENTS[k]) for k in DEVICE_CLASSES[:i]) for i, c in enumerate(DEVICE_CLASSES)}
    arche_names = tuple(ARCHETYPES)

    s_user, s_day, s_sec, s_ua, s_notify, s_zone, s_arch = [], [], [], [], [], [], []
    for u in users:
        arch = user_rng(seed, u.person.user_id, "archetype").randrange(len(arche_names))
        for d, sec, dev, ua, kind in _sessions_for(u, seed, now, first_day):
            s_user.append(u.person.user_id)
            s_day.append(d)
            s_sec.append(sec)
            s_ua.append(ua_base[dev] + ua)
            s_notify.append(kind == "notify")
            s_zone.append(zone_idx[u.behavior.timezone])
            s_arch.append(arch)
    rng = np.random.default_rng(seed)
    user = np.array(s_user, dtype=np.int64)
    day = np.array(s_day, dtype=np.int64)
    notify = np.array(s_notify, dtype=bool)
    epoch0 = int(datetime.combine(first_day, datetime.min.time(), tzinfo=UTC).timestamp())
    local = epoch0 + day * 86400 + np.array(s_sec, dtype=np.int64)
    start = (local - offsets[np.array(s_zone), day]) * 1_000_000 + rng.integers(0, 1_000_000, len(user))
    n_sessions = len(user)

    n_ev = np.where(notify, 1, 1 + np.minimum(rng.geometric(0.28, n_sessions), 28))  # login + actions
    sess_of = np.repeat(np.arange(n_sessions), n_ev)
    pos = np.arange(len(sess_of)) - np.repeat(np.cumsum(n_ev) - n_ev, n_ev)
    total = len(sess_of)

    # actions: login first, then archetype draws; notification sessions are one "view notification"
    arch_of = np.array(s_arch)[sess_of]
    cum = np.cumsum(np.array([ARCHETYPES[a] for a in arche_names], dtype=float), axis=1)
    cum /= cum[:, -1:]
    draw = (cum[arch_of] < rng.random(total)[:, None]).sum(axis=1)
    act_type = np.array([a for a, _ in ACTIONS], dtype=object)[draw]
    act_target = np.array([t for _, t in ACTIONS], dtype=object)[draw]
    first = pos == 0
    act_type[first], act_target[first] = "login", "session"
    ev_notify = notify[sess_of]
    act_type[ev_notify], act_target[ev_notify] = "view", "notification"

    users_by_id = {u.person.user_id: u for u in users}
    ev_user = user[sess_of]
    details = np.full(total, "{}", dtype=object)
    target_id = np.full(total, -1, dtype=np.int64)

    # AI assistant interactions replace some actions in a share of sessions set by the assistance level
    level = np.array([users_by_id[int(x)].preferences.assistance_level for x in user], dtype=object)
    ai_share = np.vectorize(AI_SESSION_SHARE.get, otypes=[float])(level)
    ai_session = (rng.random(n_sessions) < ai_share) & ~notify
    ai_event = ai_session[sess_of] & (pos >= 1) & (rng.random(total) < 0.3)
    act_type[ai_event], act_target[ai_event] = rng.choice(["create", "view"], ai_event.sum()), "ai_assistant"
    idx = np.flatnonzero(ai_event)
    for i in idx:  # per AI event only (a few percent of events): the JSON carries the revealed preferences
        p = users_by_id[int(ev_user[i])].preferences
        tone = "formal" if rng.random() < 0.5 else "friendly"
        liked = tone == p.tone
        rating = int(rng.integers(4, 6)) if liked else int(rng.integers(1, 4))
        if rng.random() < 0.12:
            rating = int(rng.integers(1, 6))
        lang = p.language if rng.random() < 0.9 else ("zh" if p.language == "en" else "en")
        details[i] = json.dumps(
            {
                "mode": "suggest",
                "accepted": bool(rng.random() < AI_ACCEPT[p.assistance_level]),
                "tone": tone,
                "rating": rating,
                "lang": lang,
            },
            separators=(",", ":"),
        )

    # template views carry the template id; its language reveals the preferred language
    tmpl = (act_target == "template") & ~ai_event
    lang_pref = np.array([users_by_id[int(x)].preferences.language == "zh" for x in user])[sess_of]
    wants_zh = np.where(rng.random(total) < 0.85, lang_pref, ~lang_pref)
    tid = np.where(
        wants_zh,
        rng.integers(TEMPLATES_ZH.start, TEMPLATES_ZH.stop, total),
        rng.integers(TEMPLATES_EN.start, TEMPLATES_EN.stop, total),
    )
    target_id[tmpl] = tid[tmpl]
    for t in range(TEMPLATES_ZH.start, TEMPLATES_EN.stop):
        details[tmpl & (tid == t)] = (
            f'{{"template_id":{t},"language":"{"zh" if t < TEMPLATES_EN.start else "en"}"}}'
        )
    # people return to the companies and jobs they care about: each user has a set of favourites that most of
    # their job/company actions land on; the rest are browsing anywhere
    other = (act_target == "job") | (act_target == "company")
    fav_n = 12
    user_idx = np.searchsorted(np.unique(user), ev_user)
    base = (np.unique(user) * 7919) % 5000
    favourites = (base[:, None] + np.arange(fav_n)[None, :] * 389) % 4999 + 1
    pick = favourites[user_idx, rng.integers(0, fav_n, total)]
    loyal = rng.random(total) < FAVOURITE_SHARE
    target_id[other] = np.where(loyal, pick, rng.integers(1, 5000, total))[other]

    # durations (seconds), timing within the session, success and failure types
    mu = np.where(act_type == "login", 1.0, np.where(np.isin(act_type, ["create", "update"]), 4.5, 3.3))
    duration = np.maximum(0, rng.lognormal(mu, 0.7)).astype(np.int64)
    gap = rng.integers(2, 40, total)
    step = duration + gap
    csum = np.cumsum(step)
    sess_start_cum = np.repeat(csum[np.cumsum(n_ev) - n_ev] - step[np.cumsum(n_ev) - n_ev], n_ev)
    ts = start[sess_of] + (csum - step - sess_start_cum) * 1_000_000
    success_rate = np.array([users_by_id[int(x)].behavior.success_rate for x in user])[sess_of]
    success = rng.random(total) < success_rate
    fail = ~success & ~ai_event
    err = np.array(ERROR_TYPES, dtype=object)[rng.choice(len(ERROR_TYPES), total, p=ERROR_WEIGHTS)]
    for e in ERROR_TYPES:
        details[fail & (err == e)] = f'{{"error":"{e}"}}'

    session_ids = np.array([f"s{seed % 1000:03d}{i:08x}" for i in range(n_sessions)], dtype=object)
    ua_arr = np.array(ua_list, dtype=object)[np.array(s_ua)]
    ips = np.array(
        [
            f"10.{(x >> 16) & 255}.{(x >> 8) & 255}.{x & 255}"
            for x in (np.array(s_user) * 2654435761 % (1 << 24))
        ],
        dtype=object,
    )
    order = np.lexsort((ts, ev_user))
    cols = {
        "user_id": ev_user[order],
        "session_id": session_ids[sess_of][order],
        "action_type": act_type[order],
        "action_target": act_target[order],
        "action_target_id": target_id[order],
        "action_details": details[order],
        "user_agent": ua_arr[sess_of][order],
        "ip_address": ips[sess_of][order],
        "duration": duration[order],
        "success": success[order],
        "ts_us": ts[order],
    }
    cols["event_id"] = np.char.add(
        np.char.add(cols["session_id"].astype(str), "-"), pos[order].astype(str)
    ).astype(object)
    end_us = ts + duration * 1_000_000
    last_idx = np.cumsum(n_ev) - 1
    sessions = {
        "user_id": user,
        "session_id": session_ids,
        "ip_address": ips,
        "user_agent": ua_arr,
        "login_us": start,
        "logout_us": end_us[last_idx],
        "activity_count": n_ev,
    }
    return EventColumns(cols, sessions)
