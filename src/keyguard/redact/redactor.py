"""The Redactor: known values (raw, encoded, fragments) and key patterns → ``[REDACTED:name]``."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from collections.abc import Iterable
from collections.abc import Mapping

FRAGMENT = 12  # a run this long of a value beyond its public prefix is redacted
FRAGMENT_MIN = 24  # values at least this long are matched by fragment
MIN_VALUE = 8
CUT_BODY = 6  # with ``cut_keys``: a key prefix followed by this many key characters


def cut_key_pattern(prefixes: Iterable[bytes]) -> bytes:
    """A regex for the head of a key cut short (by a truncated repr or message): a provider's
    distinctive prefix and a few key characters.  URL schemes and ``eyJ`` are left out: in
    ordinary text they start harmless strings."""
    import re

    chosen = sorted((p for p in prefixes if b"://" not in p and p != b"eyJ"), key=len,
                    reverse=True)  # fmt: skip
    alternatives = b"|".join(re.escape(p) for p in chosen)
    return rb"(?<![A-Za-z0-9_])(?:" + alternatives + rb")[A-Za-z0-9_\-]{%d,}" % CUT_BODY


def variants(value: str) -> list[bytes]:
    """The value as it shows up in logs: raw, JSON- and repr-escaped, URL-encoded, base64."""
    raw = value.encode("utf-8", "surrogatepass")
    found = {
        raw,
        json.dumps(value)[1:-1].encode(),
        repr(value)[1:-1].encode(),
        urllib.parse.quote(value, safe="").encode(),
        urllib.parse.quote_plus(value).encode(),
    }
    for skip in range(3):  # the three alignments inside a longer base64 stream
        part = raw[skip:]
        part = part[: len(part) - len(part) % 3]
        if len(part) >= 6:
            found.add(base64.b64encode(part).rstrip(b"="))
            found.add(base64.urlsafe_b64encode(part).rstrip(b"="))
    return [v for v in found if len(v) >= MIN_VALUE]


def fragments(value: str, public: int) -> list[bytes]:
    raw = value.encode("utf-8", "surrogatepass")
    if len(raw) < FRAGMENT_MIN:
        return []
    body = raw[public:]
    return [body[i : i + FRAGMENT] for i in range(len(body) - FRAGMENT + 1)]


class _Snapshot:
    """An immutable automaton over every registered byte string; swapped whole on add."""

    def __init__(self, patterns: list[bytes], labels: list[str]) -> None:
        import ahocorasick_rs

        self.labels = labels
        self.automaton = ahocorasick_rs.BytesAhoCorasick(patterns) if patterns else None


class Redactor:
    """Replaces known values and rule-matched keys with ``[REDACTED:<name or rule id>]``.

    Known values are matched raw and in their common encodings, and values of 24 characters
    or more by any 12-character run beyond their public prefix, so a truncated repr does not
    show a head or a tail.  ``cut_keys`` also masks a provider prefix followed by a few key
    characters (``ghp_Ab12Cd…``), the head of an unregistered key that something cut short:
    right for test reports, too eager for application logs.  Adding values is thread-safe and
    never blocks ``redact``.
    """

    def __init__(
        self,
        values: Mapping[str, str] | None = None,
        *,
        patterns: bool = True,
        marker: str = "[REDACTED:{name}]",
        cut_keys: bool = False,
    ) -> None:
        self.marker = marker
        self._lock = threading.Lock()
        self._patterns: list[bytes] = []
        self._labels: list[str] = []
        self._names: set[str] = set()
        self._snapshot = _Snapshot([], [])
        self._matcher = None
        if patterns:
            from keyguard.scan.engine import Matcher
            from keyguard.scan.rules import BUILTIN_RULES

            self._matcher = Matcher(BUILTIN_RULES, "portable")
        known = self._matcher.prefixes if self._matcher is not None else ()
        self._prefixes = tuple(sorted({k.decode() for k in known}, key=len, reverse=True))
        self._cut = None
        if cut_keys and known:
            import re

            self._cut = re.compile(cut_key_pattern(known))
        if values:
            self.update(values)

    def __repr__(self) -> str:
        return f"Redactor({len(self._names)} values, patterns={self._matcher is not None})"

    def __contains__(self, label: str) -> bool:
        return label in self._names

    def add(self, value: str, label: str) -> None:
        """Register one value; the matcher is rebuilt here, never in ``redact``."""
        self.update({label: value})

    def update(self, values: Mapping[str, str]) -> None:
        """Register many values (label → value) with one rebuild."""
        prepared = [(label, self._prepare(value, label)) for label, value in values.items()]
        with self._lock:
            for label, new in prepared:
                self._patterns.extend(new)
                self._labels.extend([label] * len(new))
                self._names.add(label)
            self._snapshot = _Snapshot(list(self._patterns), list(self._labels))

    def check(self, value: str, label: str) -> None:
        """Raise as ``add`` would for a value that cannot be registered."""
        self._prepare(value, label)

    def _prepare(self, value: str, label: str) -> list[bytes]:
        if not isinstance(value, str):
            raise TypeError(
                f"{label}: only str values can be registered ({type(value).__name__} given); "
                "register the leaves of a structure one by one"
            )
        if len(value) < MIN_VALUE:
            raise ValueError(
                f"{label}: values shorter than {MIN_VALUE} characters are refused: redacting "
                "them would mask ordinary text"
            )
        stripped = value.strip()
        if stripped[:1] in {"{", "["}:
            try:
                json.loads(stripped)
            except ValueError:
                pass
            else:
                raise ValueError(f"{label}: a structured blob was given; register its leaves")
        public = next((len(p) for p in self._prefixes if value.startswith(p)), 0)
        return variants(value) + fragments(value, public)

    def redact(self, text: str) -> str:
        data = text.encode("utf-8", "surrogatepass")
        out = self.redact_bytes(data)
        return text if out is data else out.decode("utf-8", "surrogatepass")

    def forms(self) -> list[bytes]:
        """Every byte string registered values are matched by (raw, encoded, fragments)."""
        with self._lock:
            return list(self._patterns)

    def redact_bytes(self, data: bytes) -> bytes:
        spans = self.find(data)
        if not spans:
            return data
        return self.replace(data, spans)

    def find(self, data: bytes) -> list[tuple[int, int, str]]:
        """Where ``data`` holds a known value or a key: (start, end, label), overlaps kept."""
        spans: list[tuple[int, int, str]] = []
        snapshot = self._snapshot
        if snapshot.automaton is not None:
            for index, start, end in snapshot.automaton.find_matches_as_indexes(
                data, overlapping=True
            ):
                spans.append((start, end, snapshot.labels[index]))
        if self._matcher is not None:
            for m in self._matcher.scan(data):
                spans.append((m.start, m.end, m.rule.id))
        if self._cut is not None:
            from keyguard.scan.rules.checks import looks_like_placeholder

            spans.extend((m.start(), m.end(), "key") for m in self._cut.finditer(data)
                         if not looks_like_placeholder(m.group()))  # fmt: skip
        return spans

    def replace(self, data: bytes, spans: list[tuple[int, int, str]]) -> bytes:
        """``data`` with each run of overlapping or touching ``spans`` (from :meth:`find`,
        not empty) replaced by one marker, named by the longest span of the run."""
        spans = sorted(spans)
        out = []
        position = 0
        start, end, label = spans[0]
        best = end - start
        for s, e, name in spans[1:]:
            if s <= end:  # overlapping or touching: one redaction
                if e - s > best:
                    best, label = e - s, name
                end = max(end, e)
                continue
            out.append(data[position:start])
            out.append(self.marker.format(name=label).encode())
            position = end
            start, end, label, best = s, e, name, e - s
        out.append(data[position:start])
        out.append(self.marker.format(name=label).encode())
        out.append(data[end:])
        return b"".join(out)
