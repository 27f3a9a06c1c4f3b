"""The Rewriter Protocol and what every format shares: the edit and the span splice."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from keyguard.errors import InputError
from keyguard.errors import RewriteRefused
from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol
else:
    Protocol = object


class Assignment(Record):
    """A key found in a file: the statement holding it and where the value sits in it."""

    __slots__ = ("var", "start", "end", "value_start", "value_end", "name")
    var: str  # the variable the file assigns
    start: int  # byte span of the whole statement (line included) to replace
    end: int
    value_start: int  # byte span of the value itself
    value_end: int
    name: str  # the vault name chosen for it

    def __init__(self, var: str, start: int, end: int, value_start: int, value_end: int,
                 name: str = "") -> None:  # fmt: skip
        fill(self, locals())


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``data[start:end]`` with ``text``."""

    start: int
    end: int
    text: bytes


class Rewriter(Protocol):
    format: str

    def find(self, data: bytes, spans: Sequence[tuple[int, int]]) -> list[Assignment]:
        """The assignment statements holding the values at ``spans`` (byte offsets).

        Raises ``RewriteRefused`` with the reason for a value it cannot move safely.
        """
        ...

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]: ...

    def check(self, data: bytes) -> None:
        """Raise ``RewriteRefused`` if ``data`` is not a valid file of this format."""
        ...


def splice(data: bytes, edits: Sequence[Edit]) -> bytes:
    """Apply non-overlapping edits, last first, changing only the bytes they cover.

    An insertion (``start == end``) goes before a replacement starting at the same offset.
    """
    out = data
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.text + out[edit.end :]
    return out


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def statement_at(
    pattern: re.Pattern[bytes], data: bytes, start: int, end: int, refusal: str
) -> re.Match[bytes]:
    """The one-line statement ``pattern`` matches on the line of ``data[start:end]``, with the
    key inside its ``value`` group; refused (``line N: <refusal>``) otherwise."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    m = pattern.match(data, line_start, len(data) if line_end < 0 else line_end)
    if m is None or not (m.start("value") <= start and end <= m.end("value")):
        raise RewriteRefused(f"line {line_of(data, start)}: {refusal}")
    return m


def require_whole_value(data: bytes, m: re.Match[bytes], start: int, end: int) -> None:
    """Refuse a key that is only part of the (possibly quoted) value: replacing the value
    would drop the rest of it."""
    value_start, value_end = m.span("value")
    if data[value_start : value_start + 1] in (b"'", b'"'):
        value_start, value_end = value_start + 1, value_end - 1
    if (value_start, value_end) != (start, end):
        raise RewriteRefused(f"line {line_of(data, start)}: the key is only part of the value")


class LineRewriter:
    """A format whose keys sit one assignment a line, matched by ``pattern``."""

    format = ""
    pattern: re.Pattern[bytes]
    what = ""

    def find(self, data: bytes, spans: Sequence[tuple[int, int]]) -> list[Assignment]:
        found = []
        for start, end in spans:
            m = statement_at(self.pattern, data, start, end, f"not a `{self.what}` line")
            require_whole_value(data, m, start, end)
            vs, ve = m.span("value")
            found.append(Assignment(m.group("var").decode(), vs, ve, start, end))
        return found

    def check(self, data: bytes) -> None:
        if b"\0" in data:
            raise InputError("not a text file")
