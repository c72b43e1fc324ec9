"""Redaction operators, the keyed-hash pseudonym, and properties of detect → redact."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ai_identity.errors import ConfigError
from ai_identity.privacy.pii import HmacKey, KeyedHash, Mask, PIIDetector, PIIEntity, Replace, redact

KEY = HmacKey(b"0123456789abcdef-test-only-key")
DETECTOR = PIIDetector()


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        (Replace(), "请联系我：<PHONE_NUMBER>"),
        (Replace("[{type}]"), "请联系我：[PHONE_NUMBER]"),
        (Mask(), "请联系我：***********"),
        (Mask(keep_last=4), "请联系我：*******5678"),
        (Mask(char="#", keep_first=3, keep_last=4), "请联系我：138####5678"),
    ],
)
def test_when_operator_applied_then_expected_text(operator, expected: str) -> None:
    assert redact("请联系我：13812345678", operator=operator).text == expected


@pytest.mark.parametrize("value", ["13812345678", "11010519491231002X", "a@b.cn", "abc"])
def test_when_mask_asks_to_keep_everything_then_masks_a_third_and_four(value: str) -> None:
    out = Mask(keep_first=99, keep_last=99).apply(value, "X")
    assert len(out) == len(value)
    assert out.count("*") >= min(len(value), max(4, len(value) / 3))


def test_when_keyed_hash_then_stable_and_key_dependent() -> None:
    op = KeyedHash(KEY)
    a = op.apply("13812345678", "PHONE_NUMBER")
    assert a == KeyedHash(HmacKey(b"0123456789abcdef-test-only-key")).apply("13812345678", "PHONE_NUMBER")
    assert a.startswith("<PHONE_NUMBER:") and "13812345678" not in a
    assert a != KeyedHash(HmacKey(b"another-key-of-16-bytes+")).apply("13812345678", "PHONE_NUMBER")
    # A fixed vector: the pseudonym must not change between processes or releases.
    assert op.digest("a@example.com", "EMAIL_ADDRESS") == "d4e3c812c7c0d9af"


def test_when_key_too_short_then_config_error_without_secret() -> None:
    with pytest.raises(ConfigError) as info:
        HmacKey(b"short")
    assert "short" not in str(info.value)
    assert "short" not in repr(KEY) and "test-only" not in repr(KEY)


def test_when_per_type_operators_then_each_type_uses_its_own() -> None:
    out = redact("a@example.com 13812345678", operators={"PHONE_NUMBER": Mask(keep_last=2)})
    assert out.text == "<EMAIL_ADDRESS> *********78"
    assert [i.operator for i in out.items] == ["replace", "mask"]


def test_when_redacted_then_items_point_at_replacements() -> None:
    text = "姓名：张伟，邮箱 zw@example.cn，电话 010-12345678"
    out = redact(text)
    assert out.text == "姓名：<PERSON>，邮箱 <EMAIL_ADDRESS>，电话 <PHONE_NUMBER>"
    for item in out.items:
        assert out.text[item.new_start : item.new_end] == f"<{item.type}>"


def test_when_entities_given_then_no_detection_and_overlaps_skipped() -> None:
    ents = [PIIEntity("X", 0, 4, 1.0), PIIEntity("Y", 2, 6, 1.0), PIIEntity("Z", 99, 120, 1.0)]
    assert redact("abcdefgh", ents).text == "<X>efgh"


SAMPLES = st.sampled_from(
    ["13812345678", "+86 139 8765 4321", "a.b@example.org", "11010519491231002X", "192.0.2.7",
     "https://example.com/x", "010-12345678", "姓名：李娜", "Name: Emily Carter"]
)  # fmt: skip
FILLER = st.text(alphabet=st.sampled_from(list("的是在了abc XYZ,.，。：0123456789订单号")), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(FILLER, SAMPLES), min_size=1, max_size=4), FILLER)
def test_when_redacted_then_no_detected_value_survives(parts: list[tuple[str, str]], tail: str) -> None:
    text = "".join(f + s for f, s in parts) + tail
    entities = DETECTOR.analyze(text)
    out = redact(text, entities).text
    for e in entities:
        assert 0 <= e.start < e.end <= len(text)
        value = text[e.start : e.end]
        if len(value) >= 6:
            assert value not in out


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_when_any_text_then_spans_within_text_sorted_disjoint(text: str) -> None:
    entities = DETECTOR.analyze(text, threshold=0.0)
    assert all(0 <= e.start < e.end <= len(text) and 0.0 <= e.score <= 1.0 for e in entities)
    assert all(a.end <= b.start for a, b in itertools.pairwise(entities))
