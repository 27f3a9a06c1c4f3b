"""The matcher: literal prefilter hits -> rule patterns -> structure checks -> claimed spans.

Pure: bytes in, matches out; no files, no git, no output.  A rule's pattern runs only where one
of its keywords occurs (anchored rules exactly at the hit), so no rule ever passes over every
byte.  Patterns compile on first use, which keeps the start of a small scan cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Sequence

from keyguard.record import Record
from keyguard.record import fill
from keyguard.scan.engines import make_prefilter
from keyguard.scan.rules import Rule
from keyguard.scan.rules.checks import looks_like_placeholder
from keyguard.scan.rules.checks import shannon_entropy

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.engines import Prefilter

_LINE_LIMIT = 1024  # a line window reaches at most this far on either side of a hit


class Match(Record):
    """Where a rule matched: byte offsets of the value, and where its public prefix ends
    (``start <= public_end <= end``: ``data[start:public_end]`` is safe to show)."""

    __slots__ = ("rule", "start", "end", "public_end")
    rule: Rule
    start: int
    end: int
    public_end: int

    def __init__(self, rule: Rule, start: int, end: int, public_end: int) -> None:
        fill(self, locals())

    def __repr__(self) -> str:
        return f"Match({self.rule.id!r}, {self.start}, {self.end})"


class _Compiled:
    """A rule and its pattern, compiled on first use."""

    __slots__ = ("regex", "rule")

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.regex: re.Pattern[bytes] | None = None

    def pattern(self) -> re.Pattern[bytes]:
        if self.regex is None:
            self.regex = re.compile(self.rule.pattern.encode())
        return self.regex


class Matcher:
    """Matches a fixed rule set; build once per scan, use for every buffer."""

    def __init__(self, rules: Sequence[Rule], engine: str = "auto") -> None:
        self.rules = tuple(rules)
        self._compiled = [_Compiled(rule) for rule in self.rules]
        index: dict[bytes, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for keyword in rule.keywords:
                index.setdefault(keyword.encode(), []).append(i)
        self._keywords = list(index)
        self._keyword_rules = [tuple(index[k]) for k in self._keywords]
        # Distinctive token prefixes (3+ characters) that generic rules leave to their owners.
        self._prefixes = tuple(
            k
            for k in self._keywords
            if len(k) >= 3 and any(self.rules[i].window is None for i in index[k])
        )
        self.prefilter: Prefilter = make_prefilter(engine, self._keywords)

    @property
    def prefixes(self) -> tuple[bytes, ...]:
        """Distinctive token prefixes (3+ characters) of anchored rules: public parts of keys."""
        return self._prefixes

    def scan(self, data: bytes) -> list[Match]:
        hits = self.prefilter.find(data)
        if not hits:
            return []
        found: dict[tuple[int, int, int], Match] = {}
        last_window: dict[int, tuple[int, int]] = {}
        size = len(data)
        for keyword_index, start, end in hits:
            for rule_index in self._keyword_rules[keyword_index]:
                compiled = self._compiled[rule_index]
                rule = compiled.rule
                window = rule.window
                if window is None:
                    m = compiled.pattern().match(data, start)
                    if m is not None:
                        self._consider(rule_index, m, size, found)
                    continue
                if window.line:
                    lo = max(data.rfind(b"\n", max(0, start - _LINE_LIMIT), start) + 1, 0)
                    if lo == 0 and start > _LINE_LIMIT:
                        lo = start - _LINE_LIMIT
                    hi = data.find(b"\n", end, end + _LINE_LIMIT)
                    hi = min(size, end + _LINE_LIMIT) if hi < 0 else hi
                else:
                    lo, hi = max(0, start - window.before), min(size, end + window.after)
                if last_window.get(rule_index) == (lo, hi):
                    continue
                last_window[rule_index] = (lo, hi)
                for m in compiled.pattern().finditer(data, lo, hi):
                    if m.end() == hi and hi < size and data[hi : hi + 1] not in b"\r\n":
                        continue  # the window cut a longer token short
                    self._consider(rule_index, m, size, found)
        return _claim(found.values())

    def _consider(
        self,
        rule_index: int,
        m: re.Match[bytes],
        size: int,
        found: dict[tuple[int, int, int], Match],
    ) -> None:
        rule = self.rules[rule_index]
        groups = m.re.groupindex
        start, end = m.span("secret") if "secret" in groups else m.span()
        key = (rule_index, start, end)
        if key in found or start == end:
            return
        secret = m.string[start:end]
        public_end = m.end("public") if "public" in groups and m.start("public") >= 0 else start
        public_end = min(max(public_end, start), end)
        if not self._acceptable(rule, secret, secret[public_end - start :], m):
            return
        found[key] = Match(rule, start, end, public_end)

    def _acceptable(self, rule: Rule, secret: bytes, body: bytes, m: re.Match[bytes]) -> bool:
        if rule.placeholder_filter and looks_like_placeholder(body):
            return False
        if rule.min_entropy and shannon_entropy(body) < rule.min_entropy:
            return False
        if rule.defer_to_prefixed and secret.startswith(self._prefixes):
            return False
        if (
            rule.name_check is not None
            and "name" in m.re.groupindex
            and not rule.name_check(m.group("name"))
        ):
            return False
        return rule.check is None or rule.check(secret)


def _claim(matches: Iterable[Match]) -> list[Match]:
    """Keep the most specific rule where spans overlap (lower priority number wins)."""
    ordered = sorted(matches, key=lambda m: (m.rule.priority, m.start, -m.end))
    kept: list[Match] = []
    for match in ordered:
        if not any(match.start < k.end and k.start < match.end for k in kept):
            kept.append(match)
    kept.sort(key=lambda m: (m.start, m.rule.priority))
    return kept
