"""Location strings to places, generalisation to province or country, time zones."""

from __future__ import annotations

import json
import time
import zoneinfo
from importlib import resources

import pytest

from ai_identity.errors import UsageError
from ai_identity.features.locations import (
    all_places,
    generalize_location,
    resolve_location,
    timezone_for,
)


@pytest.mark.parametrize(
    ("text", "city_en", "region_en", "country", "level"),
    [
        ("广东省深圳市南山区", "Shenzhen", "Guangdong", "CN", "district"),
        ("深圳", "Shenzhen", "Guangdong", "CN", "city"),
        ("深圳市", "Shenzhen", "Guangdong", "CN", "city"),
        ("辽宁省沈阳市", "Shenyang", "Liaoning", "CN", "city"),
        ("北京市海淀区", "Beijing", "Beijing", "CN", "district"),
        ("北京海淀", "Beijing", "Beijing", "CN", "district"),
        ("上海市浦东新区", "Shanghai", "Shanghai", "CN", "district"),
        ("广州天河区", "Guangzhou", "Guangdong", "CN", "district"),
        ("广东东莞", "Dongguan", "Guangdong", "CN", "city"),
        ("江苏苏州", "Suzhou", "Jiangsu", "CN", "city"),
        ("陕西西安", "Xi'an", "Shaanxi", "CN", "city"),
        ("Shenzhen, China", "Shenzhen", "Guangdong", "CN", "city"),
        ("Xi'an", "Xi'an", "Shaanxi", "CN", "city"),
        ("xian", "Xi'an", "Shaanxi", "CN", "city"),
        ("Suzhou", "Suzhou", "Jiangsu", "CN", "city"),
        ("Suzhou, Anhui", "Suzhou", "Anhui", "CN", "city"),
        ("Shenzhen City", "Shenzhen", "Guangdong", "CN", "city"),
        ("  Ｓｈｅｎｚｈｅｎ　", "Shenzhen", "Guangdong", "CN", "city"),
        ("深圳 ， 南山区", "Shenzhen", "Guangdong", "CN", "district"),
        ("广东省", None, "Guangdong", "CN", "region"),
        ("Guangdong Province", None, "Guangdong", "CN", "region"),
        ("吉林省吉林市", "Jilin", "Jilin", "CN", "city"),
        ("辽宁朝阳", "Chaoyang", "Liaoning", "CN", "city"),
        ("朝阳区", "Beijing", "Beijing", "CN", "district"),
        ("天津市河北区", "Tianjin", "Tianjin", "CN", "district"),
        ("河北", None, "Hebei", "CN", "region"),
        ("乌鲁木齐", "Urumqi", "Xinjiang", "CN", "city"),
        ("香港", "Hong Kong", "Hong Kong", "HK", "city"),
        ("Hong Kong", "Hong Kong", "Hong Kong", "HK", "city"),
        ("台北", "Taipei", "Taiwan", "TW", "city"),
        ("Seattle, WA", "Seattle", "Washington", "US", "city"),
        ("Seattle WA", "Seattle", "Washington", "US", "city"),
        ("Boston, MA", "Boston", "Massachusetts", "US", "city"),
        ("London", "London", "England", "GB", "city"),
        ("London, England", "London", "England", "GB", "city"),
        ("Edinburgh, Scotland", "Edinburgh", "Scotland", "GB", "city"),
        ("San Francisco Bay Area", "San Francisco", "California", "US", "city"),
        ("New York, NY", "New York", "New York", "US", "city"),
        ("NYC", "New York", "New York", "US", "city"),
        ("Washington, D.C.", "Washington", "District of Columbia", "US", "city"),
        ("Cambridge, MA", "Cambridge", "Massachusetts", "US", "city"),
        ("Toronto, ON, Canada", "Toronto", "Ontario", "CA", "city"),
        ("Sydney, NSW", "Sydney", "New South Wales", "AU", "city"),
        ("Melbourne, Victoria", "Melbourne", "Victoria", "AU", "city"),
        ("Perth, WA", "Perth", "Western Australia", "AU", "city"),
        ("Singapore", "Singapore", None, "SG", "city"),
        ("Auckland, Auckland", "Auckland", None, "NZ", "city"),
        ("Dublin, Leinster", "Dublin", None, "IE", "city"),
        ("Sao Paulo", "São Paulo", None, "BR", "city"),
        ("美国纽约", "New York", "New York", "US", "city"),
        ("英国伦敦", "London", "England", "GB", "city"),
        ("Springfield, IL", None, "Illinois", "US", "region"),
        ("中国", None, None, "CN", "country"),
        ("Remote - US", None, None, "US", "country"),
        ("Chaoyang District, Beijing", "Beijing", "Beijing", "CN", "district"),
        ("Nanshan District, Shenzhen", "Shenzhen", "Guangdong", "CN", "district"),
        ("Chaoyang", "Chaoyang", "Liaoning", "CN", "city"),
        ("HK", "Hong Kong", "Hong Kong", "HK", "city"),
        ("Greater Boston Area", "Boston", "Massachusetts", "US", "city"),
        ("Köln", "Cologne", None, "DE", "city"),
    ],
)
def test_when_location_text_then_resolved(
    text: str, city_en: str | None, region_en: str | None, country: str, level: str
) -> None:
    place = resolve_location(text)
    assert place is not None
    assert (place.city_en, place.region_en, place.country, place.level) == (
        city_en,
        region_en,
        country,
        level,
    )


@pytest.mark.parametrize("text", ["", "   ", "Remote", "火星基地", "N/A", "——", "12345", "remote / flexible"])
def test_when_unknown_text_then_none(text: str) -> None:
    assert resolve_location(text) is None
    assert generalize_location(text) is None
    assert timezone_for(text) is None


@pytest.mark.parametrize(
    ("text", "en", "zh"),
    [
        ("广东省深圳市南山区", "Guangdong", "广东省"),
        ("深圳", "Guangdong", "广东省"),
        ("辽宁省沈阳市", "Liaoning", "辽宁省"),
        ("北京市海淀区", "Beijing", "北京市"),
        ("乌鲁木齐", "Xinjiang", "新疆维吾尔自治区"),
        ("香港", "Hong Kong", "香港"),
        ("London", "United Kingdom", "英国"),
        ("Manchester", "United Kingdom", "英国"),
        ("Seattle, WA", "United States", "美国"),
        ("San Francisco Bay Area", "United States", "美国"),
        ("Toronto", "Canada", "加拿大"),
        ("Sydney", "Australia", "澳大利亚"),
        ("Auckland", "New Zealand", "新西兰"),
        ("Singapore", "Singapore", "新加坡"),
        ("Dublin", "Ireland", "爱尔兰"),
    ],
)
def test_when_generalized_then_province_or_country(text: str, en: str, zh: str) -> None:
    assert generalize_location(text) == en
    assert generalize_location(text, lang="zh") == zh


def test_when_generalized_then_never_a_city_or_district() -> None:
    data = json.loads(
        resources.files("ai_identity").joinpath("data/locations.json").read_text(encoding="utf-8")
    )
    municipal = {c for p in data["china"] if p.get("kind") == "municipality" for c in p["cities"]}
    checked = 0
    for place in all_places():
        if place.level not in ("city", "district") or place.city in municipal or place.country == "SG":
            continue  # a municipality (or city state) is its own province: its region is the coarsest answer
        if place.city_en == place.region_en:
            continue  # Jilin city in Jilin province: the answer is the province, which shares the name
        for lang in ("en", "zh"):
            name = place.city if place.level == "city" else f"{place.city}市"
            out = generalize_location(name, lang=lang)  # type: ignore[arg-type]
            got = resolve_location(name)  # "剑桥" is Cambridge (GB) before Cambridge (MA)
            assert got is not None and out not in (place.city, place.city_en), name
            assert out in (got.region, got.region_en, got.country_name_en, got.country_name_zh), name
            checked += 1
    for district in [d for ds in data["districts"].values() for d in ds]:
        assert district not in (generalize_location(district, lang="zh") or "")
    assert checked > 800


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("深圳", "Asia/Shanghai"),
        ("乌鲁木齐", "Asia/Shanghai"),  # official zone; the table notes Asia/Urumqi as the local one
        ("香港", "Asia/Hong_Kong"),
        ("Seattle, WA", "America/Los_Angeles"),
        ("Austin", "America/Chicago"),
        ("Denver", "America/Denver"),
        ("London", "Europe/London"),
        ("Brisbane", "Australia/Brisbane"),
        ("Auckland", "Pacific/Auckland"),
        ("United States", None),  # spans several zones
    ],
)
def test_when_place_then_timezone(text: str, zone: str | None) -> None:
    assert timezone_for(text) == zone


def test_when_table_loaded_then_every_timezone_is_valid_and_counts_are_met() -> None:
    places = all_places()
    zones = {p.timezone for p in places if p.timezone}
    for zone in zones:
        zoneinfo.ZoneInfo(zone)
    assert all(p.timezone for p in places if p.level in ("city", "district"))
    assert all(p.timezone == "Asia/Shanghai" for p in places if p.country == "CN" and p.level != "country")
    regions = {p.region for p in places if p.country == "CN" and p.region}
    assert len(regions) == 31
    assert sum(1 for p in places if p.country == "CN" and p.level == "city") >= 100
    assert sum(1 for p in places if p.country not in {"CN", "HK", "MO", "TW"} and p.level == "city") >= 150


def test_when_bad_lang_then_usage_error() -> None:
    with pytest.raises(UsageError):
        generalize_location("深圳", lang="fr")  # type: ignore[arg-type]


def test_when_resolving_many_then_fast_and_cached() -> None:
    texts = [f"{p.region or ''}{p.city or ''}" for p in all_places() if p.country == "CN"]
    texts += [f"{p.city_en}, {p.country}" for p in all_places() if p.city_en and p.country != "CN"]
    resolve_location.cache_clear()
    start = time.perf_counter()
    for text in texts:
        resolve_location(text)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        resolve_location(text)
    warm = time.perf_counter() - start
    assert cold / len(texts) < 0.001  # a few dict look-ups per piece, no scan over the table
    assert resolve_location.cache_info().hits >= len(set(texts))
    assert warm < cold


def test_when_synthetic_platform_city_then_resolved_with_its_zone() -> None:
    from ai_identity.synth import pools

    for c in (*pools.CITIES_ZH, *pools.CITIES_EN):
        place = resolve_location(f"{c.name}, {c.region}")
        assert place is not None and c.name in (place.city, place.city_en), c.name
        assert (place.country, place.timezone) == (c.country, c.timezone), c.name
