"""Findings: what was found where, with a masked preview and a keyed fingerprint, never a value."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from keyguard.scan.rules import Confidence


@dataclasses.dataclass(frozen=True)
class Finding:
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
    location: Mapping[str, object] = dataclasses.field(default_factory=dict)
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


@dataclasses.dataclass(frozen=True)
class ScanError:
    """An input that could not be read or parsed; the scan went on without it."""

    path: str
    message: str
    fatal: bool = True  # False for notices: a skipped large file, a shallow clone


@dataclasses.dataclass
class ScanStats:
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    skipped_binary: int = 0
    skipped_large: int = 0
    skipped_symlink: int = 0
    suppressed: int = 0
    baselined: int = 0

    def add(self, other: ScanStats) -> None:
        for field in dataclasses.fields(self):
            if field.name != "seconds":
                setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))


@dataclasses.dataclass
class ScanResult:
    findings: list[Finding] = dataclasses.field(default_factory=list)
    errors: list[ScanError] = dataclasses.field(default_factory=list)
    stats: ScanStats = dataclasses.field(default_factory=ScanStats)
    scanned: list[str] = dataclasses.field(default_factory=list)  # paths fully scanned (git)
