"""The Rewriter Protocol and what every format shares: the edit and the span splice."""

from __future__ import annotations

from collections.abc import Sequence

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


class Edit(Record):
    """Replace ``data[start:end]`` with ``text``."""

    __slots__ = ("start", "end", "text")
    start: int
    end: int
    text: bytes

    def __init__(self, start: int, end: int, text: bytes) -> None:
        fill(self, locals())


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
