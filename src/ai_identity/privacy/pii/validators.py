"""Checks run on a pattern match before it counts: checksums, number plans, address syntax.

Each takes the matched text and answers True (keep) or False (drop). They never raise and never log.
"""

from __future__ import annotations

import ipaddress

import phonenumbers
from stdnum import luhn
from stdnum.cn import ric

_SEPARATORS = str.maketrans("", "", " -()\u00a0")


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def cn_resident_id(value: str) -> bool:
    """An 18-character mainland resident ID: check digit, birth date and region (python-stdnum ``cn.ric``)."""
    return bool(ric.is_valid(value.replace(" ", "")))


def luhn_card(value: str) -> bool:
    """A 13-19 digit card number whose Luhn check digit is right and which is not one repeated digit."""
    digits = digits_only(value)
    return 13 <= len(digits) <= 19 and len(set(digits)) > 2 and bool(luhn.is_valid(digits))


def _phone(value: str, region: str | None) -> bool:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def cn_phone(value: str) -> bool:
    """A mainland mobile or landline number valid in libphonenumber's plan (prefix and length)."""
    compact = value.translate(_SEPARATORS)
    if compact.startswith("0086"):
        compact = "+" + compact[2:]
    return _phone(compact, "CN")


def intl_phone(value: str) -> bool:
    """A number written with its country code, or a North-American one, valid in libphonenumber's plan."""
    return _phone(value, None if value.lstrip().startswith("+") else "US")


def ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return ":" not in value or "::" in value or value.count(":") == 7


def url(value: str) -> bool:
    """A URL whose host has at least one dot and an alphabetic top-level label (or is an IP)."""
    host = value.split("://", 1)[-1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    labels = host.split(".")
    return len(labels) >= 2 and all(labels) and (labels[-1].isalpha() or ip_address(host))


_STREET_MARKS = ("路", "街", "道", "巷", "弄", "胡同", "号", "村", "小区", "大厦")


def street_address(value: str) -> bool:
    """An address counts once it reaches street level: an English street line, or a Chinese road or number."""
    return value[:1].isdigit() or any(mark in value for mark in _STREET_MARKS)


def us_ssn(value: str) -> bool:
    """Area, group and serial inside the ranges the SSA issues; rejects one repeated digit."""
    digits = digits_only(value)
    if len(digits) != 9 or len(set(digits)) == 1:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"
