"""Keyed pseudonyms: known answers, stability across processes, rotation, secrecy of the key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ai_identity.errors import ConfigError, UsageError
from ai_identity.privacy.pseudonym import TOKEN_LENGTH, Pseudonymizer, PseudonymKey

SECRET = b"test-secret-0123456789"
OLD = PseudonymKey("k1", SECRET)
NEW = PseudonymKey("k2", b"another-test-secret-abcdef")
TOKEN = re.compile(rf"^[a-z0-9_.-]+:[a-z2-7]{{{TOKEN_LENGTH}}}$")


def _stdlib_token(secret: bytes, namespace: str, value: str | int) -> str:
    digest = hmac.new(secret, f"{namespace}\x1f{value}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().rstrip("=").lower()[:26]


@pytest.mark.parametrize(
    ("secret", "namespace", "value", "expected"),
    [
        # Computed once with the stdlib hmac/base64 (see _stdlib_token), not with the implementation.
        (SECRET, "user", 42, "k1:ooih3wy7xtv4m5xxb5i5bpku7f"),
        (
            bytes.fromhex("00112233445566778899aabbccddeeff"),
            "company",
            "Acme 科技",
            "k1:7qtsakf6gpfg4ij2b6g5s6myd7",
        ),
    ],
)
def test_when_known_input_then_known_pseudonym(
    secret: bytes, namespace: str, value: str | int, expected: str
) -> None:
    p = Pseudonymizer([PseudonymKey("k1", secret)], active="k1")
    assert p.pseudonym(namespace, value) == expected
    assert expected == f"k1:{_stdlib_token(secret, namespace, value)}"


def test_when_int_or_its_text_then_same_pseudonym() -> None:
    p = Pseudonymizer([OLD], active="k1")
    assert p.pseudonym("user", 7) == p.pseudonym("user", "7")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (("k1", "user", 1), ("k1", "company", 1)),
        (("k1", "user", 1), ("k2", "user", 1)),
        (("k1", "user", 1), ("k1", "user", 2)),
        (("k1", "user", "a\x1fb"), ("k1", "user", "a")),
    ],
)
def test_when_namespace_key_or_value_differs_then_token_differs(left: tuple, right: tuple) -> None:
    ring = Pseudonymizer([OLD, NEW], active="k1")
    tokens = []
    for key_id, namespace, value in (left, right):
        ring.rotate_to(key_id)
        tokens.append(ring.pseudonym(namespace, value).split(":", 1)[1])
    assert tokens[0] != tokens[1]


def test_when_run_in_another_process_then_same_pseudonym() -> None:
    code = (
        "from ai_identity.privacy.pseudonym import PseudonymKey, Pseudonymizer;"
        "p = Pseudonymizer([PseudonymKey('k1', b'test-secret-0123456789')], active='k1');"
        "print(p.pseudonym('user', 'someone@example.org'))"
    )
    here = Pseudonymizer([OLD], active="k1").pseudonym("user", "someone@example.org")
    for seed in ("1", "2"):  # different hash seeds: the built-in hash() would differ, HMAC must not
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        assert out.stdout.strip() == here


def test_when_rotated_then_new_pseudonyms_use_new_key_and_old_ones_still_verify() -> None:
    ring = Pseudonymizer([OLD, NEW], active="k1")
    old = ring.pseudonym("user", 42)
    ring.rotate_to("k2")
    new = ring.pseudonym("user", 42)
    assert old.startswith("k1:") and new.startswith("k2:") and old != new
    assert ring.active_key_id == "k2"
    assert ring.verify(old, "user", 42) and ring.verify(new, "user", 42)


@pytest.mark.parametrize(
    ("pseudonym", "namespace", "value"),
    [
        ("k1:ooih3wy7xtv4m5xxb5i5bpku7f", "user", 43),  # other value
        ("k1:ooih3wy7xtv4m5xxb5i5bpku7f", "company", 42),  # other namespace
        ("k2:ooih3wy7xtv4m5xxb5i5bpku7f", "user", 42),  # other key's claim
        ("k9:ooih3wy7xtv4m5xxb5i5bpku7f", "user", 42),  # key not in ring
        ("ooih3wy7xtv4m5xxb5i5bpku7f", "user", 42),  # no key id
        ("", "user", 42),
    ],
)
def test_when_pseudonym_does_not_match_then_verify_is_false(
    pseudonym: str, namespace: str, value: int
) -> None:
    assert not Pseudonymizer([OLD, NEW], active="k2").verify(pseudonym, namespace, value)


def test_when_retired_key_removed_from_ring_then_old_pseudonym_no_longer_verifies() -> None:
    old = Pseudonymizer([OLD], active="k1").pseudonym("user", 42)
    assert not Pseudonymizer([NEW], active="k2").verify(old, "user", 42)


def test_when_key_printed_then_secret_is_hidden() -> None:
    ring = Pseudonymizer([OLD, NEW], active="k1")
    for text in (repr(OLD), str(OLD), repr(ring), str([OLD, NEW])):
        assert "test-secret" not in text and SECRET.hex() not in text
    assert "k1" in repr(OLD)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00112233445566778899aabbccddeeff", bytes.fromhex("00112233445566778899aabbccddeeff")),
        (base64.b64encode(b"0123456789abcdef!").decode(), b"0123456789abcdef!"),
        (base64.urlsafe_b64encode(b"\xff\xfe" * 9).decode(), b"\xff\xfe" * 9),
        ("a long passphrase of plain text", b"a long passphrase of plain text"),
        ("raw:00112233445566778899aabbccddeeff", b"00112233445566778899aabbccddeeff"),
        ("  hex:00112233445566778899aabbccddeeff\n", bytes.fromhex("00112233445566778899aabbccddeeff")),
    ],
)
def test_when_secret_text_in_any_form_then_decoded(text: str, expected: bytes) -> None:
    assert PseudonymKey.from_secret_text("k1", text).secret == expected


@pytest.mark.parametrize(
    "text", ["short-secret", "deadbeef", "hex:00ff", "base64:c2hvcnQ=", "", "密钥太短了"]
)
def test_when_secret_too_short_then_config_error_without_the_secret(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        PseudonymKey.from_secret_text("k1", text, setting="AI_IDENTITY_PSEUDONYM_KEYS")
    message = str(caught.value)
    assert "AI_IDENTITY_PSEUDONYM_KEYS" in message and "k1" in message
    assert not text.strip() or text.strip() not in message


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: PseudonymKey("k1", b"short"), ConfigError),
        (lambda: PseudonymKey("k:1", SECRET), ConfigError),
        (lambda: Pseudonymizer([OLD, OLD], active="k1"), ConfigError),
        (lambda: Pseudonymizer([OLD], active="k2"), ConfigError),
        (lambda: Pseudonymizer([OLD], active="k1").rotate_to("k2"), ConfigError),
        (lambda: Pseudonymizer([OLD], active="k1").pseudonym("us\x1fer", 1), UsageError),
        (lambda: Pseudonymizer([OLD], active="k1").pseudonym("user", True), UsageError),
        (lambda: Pseudonymizer([OLD], active="k1").pseudonym("user", 1.5), UsageError),
    ],
)
def test_when_misconfigured_or_misused_then_typed_error(make, error: type[Exception]) -> None:
    with pytest.raises(error):
        make()


@settings(max_examples=25, deadline=None)
@given(st.sets(st.text(max_size=30), min_size=50, max_size=300))
def test_when_many_distinct_values_then_no_collisions_and_base32_alphabet(values: set[str]) -> None:
    p = Pseudonymizer([OLD], active="k1")
    out = [p.pseudonym("user", v) for v in values]
    assert len(set(out)) == len(values)
    assert all(TOKEN.match(o) for o in out)


@settings(max_examples=50, deadline=None)
@given(
    st.one_of(st.integers(), st.text(max_size=50)),
    st.text(min_size=1, max_size=20).filter(lambda s: "\x1f" not in s),
)
def test_when_any_value_then_pseudonym_verifies_and_matches_stdlib(value: str | int, namespace: str) -> None:
    p = Pseudonymizer([OLD], active="k1")
    made = p.pseudonym(namespace, value)
    assert p.verify(made, namespace, value)
    assert made == f"k1:{_stdlib_token(SECRET, namespace, value)}"


def test_when_no_setting_named_then_error_points_at_the_environment_variable() -> None:
    with pytest.raises(ConfigError, match="AI_IDENTITY_PSEUDONYM_SECRET"):
        PseudonymKey.from_secret_text("k1", "too-short")
