"""Findings: what was found where, with a masked preview and a keyed fingerprint, never a value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from keyguard.scan.rules import Confidence

_NO_LOCATION: Mapping[str, object] = {}  # shared, never mutated


class Finding(NamedTuple):
    rule_id: str
    provider: str
    confidence: Confidence
    description: str
    path: str
    line: int  # 1-based, in the decoded text
    column: int  # 1-based, in characters
    end_line: int
    end_column: int  # 1-based, exclusive
    preview: str
    fingerprint: str
    remediation: str
    start_offset: int = 0  # byte offsets of the value in the decoded text
    end_offset: int = 0
    location: Mapping[str, object] = _NO_LOCATION
    vault_name: str | None = None
    baseline_fingerprint: str = ""  # salted with the baseline's salt, when a baseline is in use

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


class ScanError(NamedTuple):
    """An input that could not be read or parsed; the scan went on without it."""

    path: str
    message: str
    fatal: bool = True  # False for notices: a skipped large file, a shallow clone


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
