"""Findings: what was found where, with a masked preview and a keyed fingerprint, never a value."""

from __future__ import annotations

from collections.abc import Mapping

from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.engine import Matcher
    from keyguard.scan.rules._base import Confidence

_NO_LOCATION: Mapping[str, object] = {}  # shared, never mutated


class Finding(Record):
    """One finding: where, which rule, a masked preview and fingerprints; never the value.

    ``line``/``column`` are 1-based in the decoded text (columns in characters, the end
    exclusive); ``start_offset``/``end_offset`` are byte offsets of the value; ``location``
    holds source-specific keys (commit, JSON pointer, conversation); ``baseline_fingerprint``
    is salted with the baseline's salt when a baseline is in use.
    """

    __slots__ = (
        "rule_id", "provider", "confidence", "description", "path", "line", "column",
        "end_line", "end_column", "preview", "fingerprint", "remediation", "start_offset",
        "end_offset", "location", "vault_name", "baseline_fingerprint",
    )  # fmt: skip
    rule_id: str
    provider: str
    confidence: Confidence
    description: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    preview: str
    fingerprint: str
    remediation: str
    start_offset: int
    end_offset: int
    location: Mapping[str, object]
    vault_name: str | None
    baseline_fingerprint: str

    def __init__(
        self,
        rule_id: str,
        provider: str,
        confidence: Confidence,
        description: str,
        path: str,
        line: int,
        column: int,
        end_line: int,
        end_column: int,
        preview: str,
        fingerprint: str,
        remediation: str,
        start_offset: int = 0,
        end_offset: int = 0,
        location: Mapping[str, object] = _NO_LOCATION,
        vault_name: str | None = None,
        baseline_fingerprint: str = "",
    ) -> None:
        fill(self, locals())

    def __hash__(self) -> int:
        return hash((self.path, self.rule_id, self.start_offset, self.fingerprint))

    def __repr__(self) -> str:
        return (
            f"Finding({self.rule_id!r}, {self.path!r}, line={self.line}, "
            f"column={self.column}, fingerprint={self.fingerprint!r})"
        )


def mask(secret: bytes, public_len: int) -> str:
    """``sk-ant-api03-…k3AA``: the public prefix, an ellipsis and at most the last 4 characters.

    The tail is shown only for values of 20 characters or more, so a short password shows
    nothing of itself.
    """
    text = secret.decode("utf-8", "replace")
    prefix = secret[:public_len].decode("utf-8", "replace")
    body = text[len(prefix) :]
    tail = body[-4:] if len(body) >= 20 else ""
    return f"{prefix}…{tail}"


class ScanError(Record):
    """An input that could not be read or parsed; the scan went on without it.

    ``fatal`` is False for notices (a skipped large file, a shallow clone).
    """

    __slots__ = ("path", "message", "fatal")
    path: str
    message: str
    fatal: bool

    def __init__(self, path: str, message: str, fatal: bool = True) -> None:
        fill(self, locals())


class ScanStats:
    """Counters of a scan; mutable, added up across files and workers."""

    __slots__ = (
        "baselined",
        "bytes",
        "files",
        "seconds",
        "skipped_binary",
        "skipped_large",
        "skipped_symlink",
        "suppressed",
    )
    _COUNTERS = tuple(name for name in __slots__ if name != "seconds")

    def __init__(self) -> None:
        self.files = self.bytes = 0
        self.skipped_binary = self.skipped_large = self.skipped_symlink = 0
        self.suppressed = self.baselined = 0
        self.seconds = 0.0

    def add(self, other: ScanStats) -> None:
        for name in self._COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)}" for name in self.__slots__)
        return f"ScanStats({fields})"


class ScanResult:
    """What a scan found, what it could not read, and its counters."""

    __slots__ = ("errors", "findings", "scanned", "stats")

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.errors: list[ScanError] = []
        self.stats = ScanStats()
        self.scanned: list[str] = []  # paths fully scanned (git sources)

    def __repr__(self) -> str:
        return f"ScanResult({len(self.findings)} findings, {len(self.errors)} errors)"


def mask_locations(matcher: Matcher, findings: list[Finding], first: int) -> None:
    """A location is read from the file (a chat's title, a JSON key): a key in it is masked
    like the finding itself, so no report shows one."""
    for i in range(first, len(findings)):
        f = findings[i]
        for name, value in f.location.items():
            if not isinstance(value, str) or len(value) < 8:
                continue
            raw = value.encode("utf-8", "surrogateescape")
            spans: list[tuple[int, int, int]] = []
            for m in sorted(matcher.scan(raw), key=lambda m: (m.start, -m.end)):
                if not spans or m.start >= spans[-1][1]:  # overlapping rules: the first
                    spans.append((m.start, m.end, m.public_end))
            if spans:
                for start, end, public_end in reversed(spans):
                    hidden = mask(raw[start:end], public_end - start).encode()
                    raw = raw[:start] + hidden + raw[end:]
                location = {**f.location, name: raw.decode("utf-8", "replace")}
                f = findings[i] = f._replace(location=location)
