from __future__ import annotations

import random

import pytest

from keyguard.scan.rules import checks
from keyguard.testing import tokens


def test_github_classic_checksum(rng: random.Random) -> None:
    token = tokens.github_classic(rng).encode()
    assert checks.github_classic_checksum_ok(token)
    assert not checks.github_classic_checksum_ok(
        token[:-1] + (b"A" if token[-1:] != b"A" else b"B")
    )


def test_github_fine_grained_checksum(rng: random.Random) -> None:
    token = tokens.github_fine_grained(rng).encode()
    assert len(token) == 93
    assert checks.github_fine_grained_checksum_ok(token)
    assert not checks.github_fine_grained_checksum_ok(token[:20] + b"Z" + token[21:])


def test_npm_checksum(rng: random.Random) -> None:
    token = tokens.npm(rng).encode()
    assert checks.npm_checksum_ok(token)
    assert not checks.npm_checksum_ok(token[:-2] + b"00")


def test_base62_pads_to_width() -> None:
    assert checks.base62(0, 6) == b"000000"
    assert checks.base62(61, 2) == b"0z"


@pytest.mark.parametrize(
    ("claims", "sensitive"),
    [
        ({"role": "service_role", "iat": 1, "exp": 4100000000}, True),
        ({"role": "anon", "iat": 1, "exp": 4100000000}, False),
        ({"sub": "1"}, True),  # never expires
        ({"sub": "1", "iat": 1700000000, "exp": 1700003600}, False),  # expired
        ({"sub": "1", "iat": 4000000000, "exp": 4000003600}, False),  # lives an hour
        ({"sub": "1", "iat": 4000000000, "exp": 4090000000}, True),  # lives years
    ],
)
def test_jwt_policy(rng: random.Random, claims: dict[str, object], sensitive: bool) -> None:
    token = tokens.jwt(rng, claims).encode()
    assert checks.jwt_is_sensitive(token, now=3900000000) is sensitive


def test_jwt_garbage_is_not_sensitive() -> None:
    assert not checks.jwt_is_sensitive(b"eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl")


def test_pem_body_needs_real_der(rng: random.Random) -> None:
    assert checks.pem_body_ok(tokens.private_key(rng).encode())
    fake = "-----BEGIN RSA PRIVATE KEY-----\n" + "A" * 200 + "\n-----END RSA PRIVATE KEY-----"
    assert not checks.pem_body_ok(fake.encode())


@pytest.mark.parametrize(
    "value",
    [
        b"sk-ant-api03-xxxxxxxx",
        b"YOUR_API_KEY_HERE",
        b"${OPENAI_API_KEY}",
        b"<api-key>",
        b"aaaaaaaaaaaa",
        b"abcdefghijk123",
        b"0123456789xyz",
        b"my-fake-key-123",
        b"sk-...AA",
    ],
)
def test_placeholders(value: bytes) -> None:
    assert checks.looks_like_placeholder(value)


def test_random_values_are_not_placeholders(rng: random.Random) -> None:
    for _ in range(200):
        assert not checks.looks_like_placeholder(tokens.rand(rng, tokens.ALNUM, 40).encode())


def test_entropy() -> None:
    assert checks.shannon_entropy(b"") == 0
    assert checks.shannon_entropy(b"aaaa") == 0
    assert checks.shannon_entropy(b"abcd") == 2


def test_random_looking_rejects_names(rng: random.Random) -> None:
    check = checks.random_looking(2, 2)
    assert not check(b"getFirmwareVersionString")
    assert check(tokens.rand(rng, tokens.ALNUM, 24).encode() + b"Ab")
