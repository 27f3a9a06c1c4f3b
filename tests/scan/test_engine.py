from __future__ import annotations

import random

from keyguard.scan.engine import Matcher
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.rules import LINE
from keyguard.scan.rules import Rule
from keyguard.testing.corpus import document
from keyguard.testing.tokens import PLANTS
from tests.conftest import require


def _spans(matcher: Matcher, data: bytes) -> list[tuple[str, int, int, int]]:
    return [(m.rule.id, m.start, m.end, m.public_end) for m in matcher.scan(data)]


def test_hyperscan_and_portable_engines_agree_exactly() -> None:
    require("hyperscan", "pip install 'keyguard[fast]'")
    portable = Matcher(BUILTIN_RULES, "portable")
    fast = Matcher(BUILTIN_RULES, "hyperscan")
    assert fast.prefilter.name == "hyperscan"
    rng = random.Random(7)
    total = 0
    for _ in range(30):
        data = document(rng, plants=20, decoy_lines=20).encode()
        expected = _spans(portable, data)
        assert _spans(fast, data) == expected
        total += len(expected)
    assert total >= 30 * 20


def test_no_hits_no_work() -> None:
    matcher = Matcher(BUILTIN_RULES, "portable")
    assert matcher.scan(b"") == []
    assert matcher.scan(b"plain words only\n" * 1000) == []


def test_line_window_is_cut_at_long_lines() -> None:
    rule = Rule(
        id="t",
        provider="t",
        description="t",
        pattern=r"marker=(?P<secret>[a-z0-9]{12,})",
        keywords=("marker=",),
        confidence="low",
        remediation="-",
        window=LINE,
    )
    matcher = Matcher((rule,), "portable")
    long_value = "a1" * 2000  # the window stops 1 KiB after the hit: this value runs past it
    assert matcher.scan(f"marker={long_value}".encode()) == []
    assert [m.rule.id for m in matcher.scan(b"x " * 3000 + b"marker=abc123def456 y")] == ["t"]


def test_every_plant_survives_a_mixed_document() -> None:
    matcher = Matcher(BUILTIN_RULES, "portable")
    rng = random.Random(11)
    for rule_id, plant in PLANTS.items():
        text, token = plant(rng)
        data = f"a = 1\n{text}\nb = 2\n".encode()
        assert any(data[m.start : m.end] == token.encode() for m in matcher.scan(data)), rule_id
