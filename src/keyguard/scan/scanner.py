"""The matcher's leaf: bytes in, findings out.

A ``Scanner`` holds the compiled rules and turns one chunk of bytes into findings (line and
column, masked preview, fingerprints; inline ``keyguard: allow`` honoured).  It reads nothing:
what to match comes from the readers (``keyguard.scan.readers``) through the pipeline
(``keyguard.scan.pipeline``).
"""

from __future__ import annotations

from collections.abc import Sequence

from keyguard.fingerprint import fingerprint
from keyguard.fingerprint import salted_fingerprint
from keyguard.scan.engine import Match
from keyguard.scan.engine import Matcher
from keyguard.scan.finding import Finding
from keyguard.scan.finding import mask
from keyguard.scan.options import ScanOptions
from keyguard.scan.position import position
from keyguard.scan.suppress import is_suppressed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.readers._base import Chunk


class Scanner:
    """Holds the compiled matcher; scanning itself keeps no state between inputs."""

    def __init__(self, options: ScanOptions) -> None:
        self.options = options
        self.matcher = Matcher(options.rules, options.engine)

    def scan_bytes(self, data: bytes, display: str) -> tuple[list[Finding], int]:
        """Findings in one buffer and the number suppressed inline."""
        return self._findings(data, display, self.matcher.scan(data), 0, 1, 0)

    def findings(self, chunk: Chunk) -> tuple[list[Finding], int]:
        """Findings in one chunk (matches from its ``limit`` on are the next chunk's, those
        its ``keep`` refuses are dropped) and the number suppressed inline."""
        data = chunk.data
        matches = self.matcher.scan(data)
        if not matches:
            return [], 0
        limit, keep = chunk.limit, chunk.keep
        if limit < len(data):
            matches = [m for m in matches if m.start < limit]
        if keep is not None:
            matches = [m for m in matches if keep(m.start, m.end)]
        return self._findings(data, chunk.display, matches, chunk.base, chunk.line, chunk.carry)

    def _findings(
        self,
        data: bytes,
        display: str,
        matches: Sequence[Match],
        base: int,
        first_line: int,
        carry: int,
    ) -> tuple[list[Finding], int]:
        findings: list[Finding] = []
        suppressed = 0
        key = self.options.fingerprint_key
        salt = self.options.baseline_salt
        for m in matches:
            if self.options.honour_allow and is_suppressed(data, m.start, m.end):
                suppressed += 1
                continue
            secret = data[m.start : m.end]
            line, column = position(data, m.start, first_line, carry)
            end_line, end_column = position(data, m.end, first_line, carry)
            rule = m.rule
            findings.append(
                Finding(
                    rule_id=rule.id,
                    provider=rule.provider,
                    confidence=rule.confidence,
                    description=rule.description,
                    path=display,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    preview=mask(secret, m.public_end - m.start),
                    fingerprint=fingerprint(key, secret),
                    baseline_fingerprint=""
                    if salt is None
                    else salted_fingerprint(salt, rule.id.encode() + b"\0" + secret),
                    remediation=rule.remediation,
                    start_offset=base + m.start,
                    end_offset=base + m.end,
                )
            )
        return findings, suppressed
