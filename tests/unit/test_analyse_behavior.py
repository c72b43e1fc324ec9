"""Behaviour facet on a hand-made events frame: local-time rhythms, devices, failures, templates, notification
sessions; the peak-hour and weekly-pattern helpers; and the mixture smoothing of sparse histograms."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl
import pytest

from ai_identity.analyse.behavior import (
    BehaviorStats,
    activity_level,
    behavior_stats,
    device_class,
    peak_hours,
    weekly_pattern,
)
from ai_identity.analyse.mixture import smooth_counts
from ai_identity.sources.embedded.events import EVENT_SCHEMA

AS_OF = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
SHANGHAI, NEW_YORK = 1, 2
TZ = {SHANGHAI: "Asia/Shanghai", NEW_YORK: "America/New_York"}

UA = {
    "iphone": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1",
    "ipad": "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 "
    "Mobile/15E148 Safari/604.1",
    "android_phone": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "android_tablet": "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "windows_chrome": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "wechat": "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.40",
    "python_requests": "python-requests/2.31.0",
    "googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl": "curl/8.4.0",
}


@pytest.mark.parametrize(
    ("ua", "device"),
    [
        ("iphone", "mobile"),
        ("ipad", "tablet"),
        ("android_phone", "mobile"),
        ("android_tablet", "tablet"),
        ("windows_chrome", "desktop"),
        ("wechat", "mobile"),
        ("python_requests", "bot"),
        ("googlebot", "bot"),
        ("curl", "bot"),
    ],
)
def test_when_user_agent_classified_then_device_class_is_right(ua: str, device: str) -> None:
    assert device_class(UA[ua]) == device


@pytest.mark.parametrize("ua", [None, ""])
def test_when_user_agent_missing_then_desktop_is_assumed(ua: str | None) -> None:
    assert device_class(ua) == "desktop"


# --- a hand-made frame -------------------------------------------------------------------------------------


class Events:
    """Builds a frame with the columns ``read_events`` returns."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self._sid = 0

    def session(
        self, uid: int, start: datetime, ua: str, actions: list[tuple[str, str, int | None, dict, bool]]
    ) -> str:
        self._sid += 1
        sid = f"s{uid}-{self._sid:03d}"
        for i, (atype, target, target_id, details, ok) in enumerate(actions):
            ts = start + timedelta(seconds=40 * i)
            self.rows.append(
                {
                    "user_id": uid,
                    "session_id": sid,
                    "action_type": atype,
                    "action_target": target,
                    "action_target_id": target_id,
                    "action_details": json.dumps(details),
                    "user_agent": UA[ua],
                    "ip_address": "10.0.0.1",
                    "duration": 5,
                    "success": ok,
                    "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                    "ts": ts,
                }
            )
        return sid

    def frame(self) -> pl.DataFrame:
        schema = {**EVENT_SCHEMA, "ts": pl.Datetime("us", "UTC")}
        return pl.DataFrame(self.rows, schema=schema)


LOGIN = ("login", "session", None, {}, True)


def template(tid: int, lang: str) -> tuple[str, str, int, dict, bool]:
    return ("view", "template", tid, {"template_id": tid, "language": lang}, True)


def failed(error: str | None) -> tuple[str, str, None, dict, bool]:
    return ("edit", "resume", None, {"error": error} if error else {"note": "no error key"}, False)


@pytest.fixture(scope="module")
def events() -> pl.DataFrame:
    ev = Events()
    # Shanghai (UTC+8): ten weekday sessions at 21:xx local, which is 13:xx UTC, on an iPhone
    for day in range(10):
        d = datetime(2026, 10, 5, 13, 10, tzinfo=UTC) + timedelta(days=day + (day // 5) * 2)  # Mon-Fri x 2
        acts = [LOGIN, template(7, "zh")] if day < 3 else [LOGIN, ("view", "resume", 1, {}, True)]
        if day == 4:
            acts.append(failed("timeout"))
        ev.session(SHANGHAI, d + timedelta(minutes=day), "iphone", acts)
    # one session made only of notification views at 08:00 local (00:00 UTC): not one of the user's own
    ev.session(
        SHANGHAI,
        datetime(2026, 10, 20, 0, 0, tzinfo=UTC),
        "iphone",
        [("view", "notification", 3, {}, True), ("click", "notification", 3, {}, True)],
    )
    # an event older than the 90-day window
    ev.session(SHANGHAI, AS_OF - timedelta(days=120), "iphone", [LOGIN])
    # New York (UTC-4 in October): eight weekend sessions at 09:xx local, also 13:xx UTC, on a Windows PC
    for i in range(8):
        d = datetime(2026, 10, 3, 13, 5, tzinfo=UTC) + timedelta(days=(i // 2) * 7 + i % 2)  # Sat and Sun
        acts = [LOGIN, template(11 + i % 2, "en" if i else "zh")] if i < 3 else [LOGIN]
        if i in (5, 6):
            acts.append(failed("network_error"))
        if i == 7:
            acts.append(failed(None))  # a failure without an error type is counted in success, not in types
        ev.session(NEW_YORK, d, "windows_chrome", acts)
    # and one session from a script
    ev.session(NEW_YORK, datetime(2026, 10, 14, 13, 0, tzinfo=UTC), "python_requests", [LOGIN])
    return ev.frame()


@pytest.fixture(scope="module")
def stats(events: pl.DataFrame) -> dict[int, BehaviorStats]:
    return behavior_stats(events, TZ, AS_OF)


def test_when_user_in_shanghai_active_at_13_utc_then_peak_hour_is_21_local(
    stats: dict[int, BehaviorStats],
) -> None:
    s = stats[SHANGHAI]
    assert s.peak_hours[0] == 21
    assert s.hourly[21] == 1.0  # every own session started at 21:xx local
    assert s.hourly[13] == 0.0


def test_when_user_in_new_york_active_at_13_utc_then_peak_hour_is_9_local(
    stats: dict[int, BehaviorStats],
) -> None:
    s = stats[NEW_YORK]
    assert s.peak_hours[0] == 9
    assert s.hourly[9] == pytest.approx(1.0)


def test_when_sessions_fall_on_weekdays_or_weekends_then_weekly_pattern_follows_local_days(
    stats: dict[int, BehaviorStats],
) -> None:
    sh, ny = stats[SHANGHAI], stats[NEW_YORK]
    assert sh.weekly_pattern == "workweek" and sum(sh.weekly[:5]) == pytest.approx(1.0)
    assert ny.weekly_pattern == "weekend" and sum(ny.weekly[5:]) == pytest.approx(
        8 / 9, abs=1e-3
    )  # + the script
    assert sh.weekend_share < 0.18 < 0.42 < ny.weekend_share


def test_when_session_is_only_notifications_then_it_is_not_an_own_session(
    stats: dict[int, BehaviorStats],
) -> None:
    s = stats[SHANGHAI]
    assert (s.sessions, s.notify_opens) == (11, 1)
    assert s.hourly[8] == 0.0  # the 08:00 notification open does not shape the rhythm
    assert s.notify_hours == [8]
    assert s.devices == {"mobile": 10}  # devices are counted over own sessions


def test_when_event_is_older_than_the_window_then_it_is_not_counted(
    stats: dict[int, BehaviorStats], events: pl.DataFrame
) -> None:
    s = stats[SHANGHAI]
    assert events.filter(pl.col("user_id") == SHANGHAI).height == s.events + 1
    assert s.first >= AS_OF - timedelta(days=90)
    assert s.window_end == AS_OF and s.last <= AS_OF


def test_when_devices_differ_then_primary_device_is_the_most_used(stats: dict[int, BehaviorStats]) -> None:
    assert stats[SHANGHAI].primary_device == "mobile"
    assert stats[NEW_YORK].devices == {"bot": 1, "desktop": 8}
    assert stats[NEW_YORK].primary_device == "desktop"


def test_when_events_fail_then_failure_types_come_from_action_details(
    stats: dict[int, BehaviorStats],
) -> None:
    assert stats[SHANGHAI].failure_types == {"timeout": 1}
    assert stats[NEW_YORK].failure_types == {"network_error": 2}
    ny = stats[NEW_YORK]
    assert ny.success_rate == pytest.approx(1 - 3 / ny.events, abs=1e-4)


def test_when_templates_viewed_then_templates_and_their_languages_are_counted(
    stats: dict[int, BehaviorStats],
) -> None:
    assert stats[SHANGHAI].templates == {7: 3}
    assert stats[SHANGHAI].template_languages == {"zh": 3}
    assert stats[NEW_YORK].templates == {11: 2, 12: 1}
    assert stats[NEW_YORK].template_languages == {"en": 2, "zh": 1}


def test_when_actions_counted_then_mixes_are_shares_of_events(stats: dict[int, BehaviorStats]) -> None:
    for s in stats.values():
        assert sum(s.action_mix.values()) == pytest.approx(1.0, abs=1e-3)
        assert sum(s.target_mix.values()) == pytest.approx(1.0, abs=1e-3)
    sh = stats[SHANGHAI]
    assert sh.target_mix["notification"] == pytest.approx(2 / sh.events, abs=1e-4)


def test_when_no_event_is_in_the_window_then_no_user_has_stats(events: pl.DataFrame) -> None:
    assert behavior_stats(events, TZ, AS_OF + timedelta(days=400)) == {}
    assert behavior_stats(events.clear(), TZ, AS_OF) == {}


def test_when_user_has_no_time_zone_then_utc_hours_are_used(events: pl.DataFrame) -> None:
    s = behavior_stats(events, {}, AS_OF)
    assert s[SHANGHAI].peak_hours[0] == 13 and s[NEW_YORK].peak_hours[0] == 13


# --- helpers -----------------------------------------------------------------------------------------------


def test_when_histogram_peaks_then_peak_hours_are_most_active_first() -> None:
    h = np.zeros(24)
    h[[20, 21, 22]] = [2, 6, 1]
    h[9] = 3
    assert peak_hours(h) == [21, 20, 22]  # 21 first, neighbours by the circular kernel
    assert peak_hours(h, k=1) == [21]


def test_when_activity_spans_midnight_then_peak_hours_wrap_around() -> None:
    h = np.zeros(24)
    h[[23, 0, 1]] = [4, 5, 4]
    assert peak_hours(h) == [0, 1, 23] or peak_hours(h) == [0, 23, 1]
    assert peak_hours(h)[0] == 0


def test_when_histogram_is_empty_then_no_peak_hours() -> None:
    assert peak_hours(np.zeros(24)) == []


@pytest.mark.parametrize(
    ("share", "pattern"),
    [
        (0.0, "workweek"),
        (0.08, "workweek"),
        (0.29, "all_week"),
        (0.42, "all_week"),
        (0.56, "weekend"),
        (1.0, "weekend"),
    ],
)
def test_when_weekend_share_given_then_weekly_pattern_follows_thresholds(share: float, pattern: str) -> None:
    assert weekly_pattern(share) == pattern


@pytest.mark.parametrize(("per_week", "level"), [(0.2, "low"), (1.0, "medium"), (5.0, "high")])
def test_when_sessions_per_week_given_then_activity_level_follows(per_week: float, level: str) -> None:
    assert activity_level(per_week) == level


# --- mixture smoothing -------------------------------------------------------------------------------------


def _population() -> np.ndarray:
    """40 morning users (peak 9) and 40 evening users (peak 21), each with ~30 sessions."""
    rows = []
    for i in range(80):
        peak = 9 if i < 40 else 21
        h = np.zeros(24)
        h[[peak - 1, peak, peak + 1]] = [6 + i % 3, 18, 6]
        rows.append(h)
    return np.stack(rows)


def test_when_user_is_sparse_then_smoothing_pulls_toward_the_population_shape() -> None:
    sparse = np.zeros(24)
    sparse[[4, 21]] = 1  # one session at 04:00, one at 21:00: alone, a tie
    x = np.vstack([_population(), sparse])
    smooth, comp, _ = smooth_counts(x, 8, 20.0)
    row = smooth[-1]
    assert row.sum() == pytest.approx(1.0)
    assert int(np.argmax(row)) == 21  # the evening rhythm explains it; 04:00 is noise
    assert row[20] > row[4] and row[22] > row[4]  # the evening shape, not the user's own counts
    assert comp.shape[1] == 24


def test_when_user_is_dense_then_smoothing_keeps_their_own_mode() -> None:
    dense = np.zeros(24)
    dense[[3, 4]] = [120, 30]  # a real night owl: nobody else looks like this
    x = np.vstack([_population(), dense])
    smooth, _, _ = smooth_counts(x, 8, 20.0)
    assert int(np.argmax(smooth[-1])) == 3
    assert smooth[-1][3] > 0.6


def test_when_smoothing_repeated_then_result_is_identical() -> None:
    x = np.vstack([_population(), np.eye(24)[5]])
    a, _, _ = smooth_counts(x, 8, 20.0)
    b, _, _ = smooth_counts(x, 8, 20.0)
    assert np.array_equal(a, b)
