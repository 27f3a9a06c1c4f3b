"""Inline suppression: ``keyguard: allow`` and peer tools' directives, on the line or above."""

from __future__ import annotations

from keyguard.lazyre import lazy

_SAME_LINE = lazy(
    rb"keyguard:\s*allow(?!-next-line)|gitleaks:allow|pragma:\s*allowlist\s+secret"
    rb"|secretlint-disable-line|kingfisher:ignore|trufflehog:ignore"
)
_NEXT_LINE = lazy(
    rb"keyguard:\s*allow-next-line|pragma:\s*allowlist\s+nextline\s+secret"
    rb"|secretlint-disable-next-line"
)


REACH = 4096  # how far along a (minified, megabyte-long) line a directive still counts


def line_bounds(data: bytes, offset: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return start, len(data) if end < 0 else end


def is_suppressed(data: bytes, start: int, end: int) -> bool:
    """True when a directive stands on any line of the match or on the line before it
    (within ``REACH`` bytes of the match, so a minified one-line file costs no more)."""
    line_start, _ = line_bounds(data, start)
    _, line_end = line_bounds(data, end)
    if _SAME_LINE.search(data, max(line_start, start - REACH), min(line_end, end + REACH)):
        return True
    if line_start == 0 or start - line_start > REACH:
        return False
    previous_start, _ = line_bounds(data, line_start - 1)
    previous_start = max(previous_start, line_start - REACH)
    return _NEXT_LINE.search(data, previous_start, line_start) is not None
