"""Device classes from user-agent strings: desktop, mobile, tablet or bot.

Method: rules for automated clients (HTTP libraries, crawlers, headless browsers) first, then ua-parser's
device family and brand (tablets, spiders), then words in the string (iPad/Tablet; Android without "Mobile"
is a tablet; Mobile/iPhone/Android/WeChat's in-app browser are phones); anything else is a desktop. Called
once per distinct user agent, never per event.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
