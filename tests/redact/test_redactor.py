from __future__ import annotations

import base64
import json
import threading
import urllib.parse

import pytest

from keyguard.redact import Redactor

VALUE = "tok_" + "N4vQ" * 10  # 44 characters, no provider prefix


def test_known_value_in_every_encoding() -> None:
    r = Redactor({"svc": VALUE}, patterns=False)
    for shown in (
        VALUE,
        json.dumps(VALUE)[1:-1],
        repr(VALUE)[1:-1],
        urllib.parse.quote(VALUE, safe=""),
        base64.b64encode(b"a" + VALUE.encode()).decode(),
        base64.b64encode(b"ab" + VALUE.encode()).decode(),
        base64.urlsafe_b64encode(b"abc:" + VALUE.encode()).decode().rstrip("="),
    ):
        out = r.redact(f"<{shown}>")
        assert "[REDACTED:svc]" in out and VALUE[10:22] not in out, shown


def test_fragments_of_long_values_are_redacted_whole() -> None:
    r = Redactor({"svc": VALUE}, patterns=False)
    truncated = VALUE[5:35]
    out = r.redact(f"x='{truncated}...'")
    assert out == "x='[REDACTED:svc]...'"
    assert r.redact(VALUE[:11]) == VALUE[:11]  # shorter than a fragment: left alone


def test_refusals() -> None:
    r = Redactor(patterns=False)
    with pytest.raises(ValueError, match="shorter than 8"):
        r.add("short", "x")
    with pytest.raises(ValueError, match="structured blob"):
        r.add('{"user": "a", "password": "b"}', "blob")
    with pytest.raises(TypeError, match="register the leaves"):
        r.add({"a": "b"}, "dict")  # type: ignore[arg-type]


def test_text_without_secrets_is_returned_unchanged() -> None:
    r = Redactor({"svc": VALUE})
    text = "ordinary log line, user=42, took 12 ms, ünïcode ✓"
    assert r.redact(text) is text


def test_adding_values_from_threads_while_redacting() -> None:
    r = Redactor(patterns=False)
    values = [f"value-{i:04d}-" + "q" * 12 for i in range(100)]

    def add(chunk: list[str]) -> None:
        for v in chunk:
            r.add(v, v[:10])

    threads = [threading.Thread(target=add, args=(values[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for _ in range(200):
        r.redact("nothing to see " + values[0][:5])
    for t in threads:
        t.join()
    assert all("[REDACTED:" in r.redact(v) for v in values)


def test_custom_marker() -> None:
    r = Redactor({"svc": VALUE}, patterns=False, marker="***")
    assert r.redact(VALUE) == "***"


def test_cut_keys_masks_the_head_of_a_key_cut_short() -> None:
    head = "ghp_" + "Ab12Cd34"  # what is left of a token a truncated message cut
    eager = Redactor(cut_keys=True)
    assert eager.redact(f"token {head}...") == "token [REDACTED:key]..."
    assert Redactor().redact(f"token {head}...") == f"token {head}..."  # off by default
    for harmless in ("ghp_abc", "postgres://localhost/db", "eyJhbGciOiJIUzI1NiJ9", "xghp_Ab12Cd34",
                     "sk-ant-api03-xxxxxxxx"):  # fmt: skip
        assert eager.redact(harmless) == harmless
