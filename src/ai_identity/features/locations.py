"""Free-form location strings to places, and places to something coarse enough to share.

Method
------
The facts live in ``ai_identity/data/locations.json`` (hand-authored: every mainland province-level division
with its prefecture-level cities, districts of the biggest cities, Hong Kong / Macau / Taiwan, ~180 world
cities, US/CA/AU states and provinces, UK nations, countries). At first use every name, short name, alias and
romanisation becomes a *key* in one dict from key to candidate places, so resolving is a few dict look-ups:

1. the text is NFKC-normalised (full-width letters and punctuation become half-width), cut at commas and
   similar separators into parts, and each part into runs of Chinese characters and runs of Latin text;
2. a Chinese run is scanned left to right for the longest key (at most 10 characters) at each position, so
   "广东省深圳市南山区" yields 广东省 · 深圳市 · 南山区; characters that start no key are skipped;
3. a Latin run becomes lower-case, accent-free tokens (``Xi'an`` -> ``xian``) and is scanned the same way
   over up to five tokens, also trying the tokens without spaces ("Hong Kong" / "Hongkong"); short codes
   ("WA", "UK", "NYC") count only when written in capitals or standing in their own comma-separated part;
4. each candidate is scored by how many other pieces agree with it (same country, region, city), then by
   how specific it is (district > city > region > country); ties go to the earlier piece and the
   better-known place (``prefer`` in the table decides between same-spelt romanisations such as Suzhou).

``Place`` fields without ``_en`` carry the Chinese name where the table has one, else the English name.
Every city and mainland province carries an IANA zone; all of mainland China uses Asia/Shanghai (the table
notes Asia/Urumqi as Xinjiang's local zone), and a country or state spanning several zones has none.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any, Literal

from ai_identity.errors import UsageError

__all__ = ["Level", "Place", "all_places", "generalize_location", "resolve_location", "timezone_for"]

Level = Literal["country", "region", "city", "district"]
_RANK: dict[str, int] = {"country": 0, "region": 1, "city": 2, "district": 3}
_CHINA = frozenset({"CN", "HK", "MO", "TW"})
_MAX_TEXT = 200
_MAX_CJK_KEY = 10
_MAX_TOKENS = 5
_MAX_SEGMENTS = 12

_PARTS = re.compile(r"[,;|/()\[\]、，；：:]+")
_CJK = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")
_TOKEN_SPLIT = re.compile(r"[\s\-_·]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Place:
    """One resolved place; ``level`` says how precisely the text named it."""

    city: str | None
    city_en: str | None
    region: str | None
    region_en: str | None
    country: str
    country_name_en: str
    country_name_zh: str
    timezone: str | None
    level: Level


def _latin_key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    bare = bare.replace("'", "").replace("\u2019", "").replace(".", "")
    return _NOT_ALNUM.sub(" ", bare).strip()


def _keys(name: str) -> Iterator[str]:
    """The index keys of one name: Chinese as written (no spaces), Latin with and without spaces."""
    name = unicodedata.normalize("NFKC", name)
    if _CJK.search(name):
        yield "".join(name.split())
        return
    key = _latin_key(name)
    if key:
        yield key
        if " " in key:
            yield key.replace(" ", "")


class _Builder:
    def __init__(self) -> None:
        self.index: dict[str, list[Place]] = {}
        self.codes: dict[str, list[Place]] = {}
        self.places: list[Place] = []

    def add(self, place: Place, names: Iterable[str | None]) -> None:
        if place not in self.places:
            self.places.append(place)
        for name in names:
            for key in _keys(name) if name else ():
                # Two- and three-letter Latin aliases (LA, NYC, UK) are too easy to meet by chance.
                target = self.codes if key.isascii() and len(key) <= 3 else self.index
                if len(key) >= 2 and place not in target.setdefault(key, []):
                    target[key].append(place)

    def code(self, place: Place, code: str) -> None:
        self.codes.setdefault(code.casefold(), []).append(place)


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    index: dict[str, tuple[Place, ...]]
    codes: dict[str, tuple[Place, ...]]
    places: tuple[Place, ...]


def _add_china(b: _Builder, data: dict[str, Any], countries: dict[str, list[Any]]) -> dict[str, Place]:
    cities: dict[str, Place] = {}
    for prov in data["china"]:
        code = prov.get("country", "CN")
        en, zh, tz = countries[code][0], countries[code][1], prov.get("tz", countries[code][2])
        region_zh = prov["zh"] if code == "CN" else prov["short"]
        names = [prov["zh"], prov["short"], prov["en"], *prov.get("aliases", ())]
        if prov.get("kind") != "municipality":
            b.add(Place(None, None, region_zh, prov["en"], code, en, zh, tz, "region"), names)
        for city_zh, city_en in prov["cities"].items():
            place = Place(city_zh, city_en, region_zh, prov["en"], code, en, zh, tz, "city")
            extra = names if prov.get("kind") == "municipality" else ()
            b.add(place, [city_zh, f"{city_zh}市", city_en, *extra])
            cities.setdefault(city_zh, place)
    return cities


def _add_world(b: _Builder, data: dict[str, Any], countries: dict[str, list[Any]]) -> None:
    subs = data["subdivisions"]
    for en, zh, code, tz, sub, aliases in data["world"]:
        c_en, c_zh = countries[code][0], countries[code][1]
        s_en, s_zh = (subs[code][sub][0], subs[code][sub][1]) if sub else (None, None)
        b.add(Place(zh or en, en, s_zh, s_en, code, c_en, c_zh, tz, "city"), [en, zh, *aliases])
    for code, table in subs.items():
        c_en, c_zh = countries[code][0], countries[code][1]
        for sub, (s_en, s_zh, aliases) in table.items():
            place = Place(None, None, s_zh, s_en, code, c_en, c_zh, None, "region")
            b.add(place, [s_en, s_zh, *aliases])
            b.code(place, sub)


def _add_countries(b: _Builder, countries: dict[str, list[Any]]) -> None:
    for code, (en, zh, tz, aliases) in countries.items():
        if code in _CHINA - {"CN"}:
            # Hong Kong, Macau and Taiwan are entries of the China table already; the code points there.
            b.code(b.index[next(_keys(en))][0], code)
            continue
        place = Place(None, None, None, None, code, en, zh, tz, "country")
        b.add(place, [en, zh, *aliases])
        b.code(place, code)


def _add_districts(b: _Builder, data: dict[str, Any], cities: dict[str, Place]) -> None:
    taken = set(b.index)
    for city_zh, districts in data["districts"].items():
        city = cities[city_zh]
        place = replace(city, level="district")
        for name, name_en in districts.items():
            bare = re.sub(r"(新区|区|市)$", "", name)
            # "河北区" must not make "河北" a Tianjin district, nor "朝阳区" take "朝阳" from Liaoning.
            # Romanised names may share a city's spelling ("Chaoyang"): they queue behind it as candidates.
            b.add(place, [name, bare if len(bare) >= 2 and bare not in taken else None, name_en])


def _is_not_city(city_zh: str, place: Place) -> bool:
    return place.city != city_zh


@functools.cache
def _gazetteer() -> _Gazetteer:
    raw = resources.files("ai_identity").joinpath("data/locations.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    countries: dict[str, list[Any]] = data["countries"]
    b = _Builder()
    cities = _add_china(b, data, countries)
    _add_world(b, data, countries)
    _add_countries(b, countries)
    _add_districts(b, data, cities)
    for key, city_zh in data["prefer"].items():
        if key in b.index:
            b.index[key].sort(key=functools.partial(_is_not_city, city_zh))
    return _Gazetteer(
        {k: tuple(v) for k, v in b.index.items()},
        {k: tuple(v) for k, v in b.codes.items()},
        tuple(b.places),
    )


def _scan_cjk(run: str, g: _Gazetteer) -> Iterator[tuple[Place, ...]]:
    i = 0
    while i < len(run):
        for width in range(min(_MAX_CJK_KEY, len(run) - i), 1, -1):
            found = g.index.get(run[i : i + width])
            if found:
                yield found
                i += width
                break
        else:
            i += 1


def _scan_latin(text: str, g: _Gazetteer, own_part: bool) -> Iterator[tuple[Place, ...]]:
    pairs = [(k.replace(" ", ""), raw) for raw in _TOKEN_SPLIT.split(text) if (k := _latin_key(raw))]
    keys = [k for k, _ in pairs]
    i = 0
    while i < len(keys):
        for width in range(min(_MAX_TOKENS, len(keys) - i), 0, -1):
            words = keys[i : i + width]
            found = g.index.get(" ".join(words)) or (g.index.get("".join(words)) if width > 1 else None)
            if found:
                yield found
                i += width
                break
        else:
            raw = pairs[i][1]
            if (own_part and len(keys) == 1) or (raw.isupper() and len(raw) >= 2):
                found = g.codes.get(keys[i])
                if found:
                    yield found
            i += 1


def _segments(text: str, g: _Gazetteer) -> Iterator[tuple[Place, ...]]:
    parts = [p for p in _PARTS.split(text) if p.strip()]
    for index, part in enumerate(parts):
        for piece in _CJK.split(part):
            if not piece.strip():
                continue
            if _CJK.fullmatch(piece):
                yield from _scan_cjk(piece, g)
            else:
                yield from _scan_latin(piece, g, own_part=index > 0 or len(parts) > 1)


def _compatible(a: Place, b: Place) -> bool:
    if a.country != b.country:
        return False
    if a.region_en and b.region_en and a.region_en != b.region_en:
        return False
    return not (a.city_en and b.city_en and (a.city, a.city_en) != (b.city, b.city_en))


def _choose(segments: list[tuple[Place, ...]]) -> Place | None:
    best: Place | None = None
    best_score: tuple[int, int, int, int] | None = None
    for si, candidates in enumerate(segments):
        for ci, place in enumerate(candidates):
            support = sum(
                1
                for sj, others in enumerate(segments)
                if sj != si and any(_compatible(place, other) for other in others)
            )
            score = (support, _RANK[place.level], -si, -ci)
            if best_score is None or score > best_score:
                best, best_score = place, score
    return best


@functools.lru_cache(maxsize=8192)
def resolve_location(text: str) -> Place | None:
    """The place a free-form location string names ("广东省深圳市南山区", "Seattle, WA"), or None."""
    if not text or not text.strip():
        return None
    g = _gazetteer()
    norm = unicodedata.normalize("NFKC", text)[:_MAX_TEXT].strip()
    for key in _keys(norm):
        found = g.index.get(key) or g.codes.get(key)
        if found:
            return found[0]
    segments = list(_segments(norm, g))[:_MAX_SEGMENTS]
    return _choose(segments)


def generalize_location(text: str, *, lang: Literal["en", "zh"] = "en") -> str | None:
    """The province or region for places in China, the country elsewhere; never a city or district."""
    if lang not in ("en", "zh"):
        raise UsageError("lang: expected 'en' or 'zh'")
    place = resolve_location(text)
    if place is None:
        return None
    if place.country in _CHINA and place.region:
        return place.region if lang == "zh" else place.region_en
    return place.country_name_zh if lang == "zh" else place.country_name_en


def timezone_for(text: str) -> str | None:
    """The IANA time zone of the place the text names, or None when unknown or ambiguous (a whole country)."""
    place = resolve_location(text)
    return place.timezone if place else None


def all_places() -> tuple[Place, ...]:
    """Every place in the table, in table order (for checks and reports)."""
    return _gazetteer().places
