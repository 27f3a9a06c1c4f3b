"""JSON string escapes: a key written ``sk\\u002dant…`` or ``abc\\/def`` is found decoded.

Serialisers escape characters a key is made of: ``\\/`` (PHP, some Java), ``\\u002d``/``\\u002b``
(hand-escaped or obfuscated text, Go's ``\\u003c``), and JSON inside a JSON string escapes the
escape (``\\\\u002d``): both levels are decoded.  The plain scan cannot see through them, so
for JSON-like kinds of file (``escapes`` in ``keyguard.formats.kinds``) the text around each
such escape (the rest of its line, at most ``REACH`` bytes either side) is decoded and matched
again.  Only escapes of printable ASCII other than
``"`` and ``\\`` are decoded, so a string's framing stays as it was; a window without one is
never looked at, and a match that spans no escape is left to the plain scan.  Findings keep
the file's line, column and byte offsets.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from keyguard.lazyre import lazy
from keyguard.scan.position import position
from keyguard.scan.readers._base import Chunk
from keyguard.scan.readers._base import Finish

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.finding import Finding

REACH = 1024  # bytes of context either side: longer than any key written with escapes
# An escape, possibly itself escaped (``\\\\u002d``: JSON inside a JSON string doubles each
# backslash), or an escaped backslash followed by other text, which stays as it is.
_ESCAPE = lazy(rb"\\+(?:u00([2-7][0-9a-fA-F])|/)|\\\\")
_MARKER = lazy(rb"\\(?:u00[2-7]|/)")  # one regex pass: memchr for the backslash
_KEEP = frozenset(b'"\\')


def windows(data: bytes, limit: int) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` spans of ``data`` around the escapes that start before ``limit``."""
    marker = _MARKER.compiled()
    spans: list[tuple[int, int]] = []
    found = marker.search(data, 0, limit)
    while found is not None:
        i = found.start()
        start = max(data.rfind(b"\n", max(0, i - REACH), i) + 1, i - REACH, 0)
        newline = data.find(b"\n", i, i + REACH)
        end = newline if newline >= 0 else min(len(data), i + REACH)
        found = marker.search(data, end, limit)  # escapes up to ``end`` share this window
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


class Decoded:
    """A window's decoded text, and the way back from its offsets to the window's."""

    __slots__ = ("text", "_decoded", "_original")

    def __init__(self, raw: bytes) -> None:
        out = bytearray()
        self._decoded = [0]
        self._original = [0]
        last = 0
        for m in _ESCAPE.compiled().finditer(raw):
            hex_digits = m.group(1)
            if hex_digits is None and not m.group().endswith(b"/"):
                continue  # an escaped backslash: what follows it is text
            char = int(hex_digits, 16) if hex_digits is not None else ord("/")
            if char in _KEEP:
                continue
            out += raw[last : m.start()]
            out.append(char)
            last = m.end()
            self._decoded.append(len(out))
            self._original.append(last)
        out += raw[last:]
        self.text = bytes(out)

    @property
    def changed(self) -> bool:
        return len(self._decoded) > 1

    def original(self, offset: int) -> int:
        """The window offset of decoded ``offset`` (a decoded character maps to its escape)."""
        k = bisect.bisect_right(self._decoded, offset) - 1
        return self._original[k] + offset - self._decoded[k]

    def spans_escape(self, start: int, end: int) -> bool:
        """Whether decoded ``[start, end)`` holds a decoded character."""
        k = bisect.bisect_right(self._decoded, start)
        return k < len(self._decoded) and self._decoded[k] <= end


def chunks(parent: Chunk) -> Iterator[Chunk]:
    """A chunk per window of ``parent`` that holds an escape: its decoded text, matched for
    spans that cover a decoded character, the findings placed back in the file; a match
    starting at or after the parent's ``limit`` is left to the next block."""
    data, limit = parent.data, parent.limit
    for start, end in windows(data, limit + REACH):
        window = Decoded(data[start:end])
        if window.changed:
            yield Chunk(window.text, parent.display, keep=window.spans_escape,
                        finish=_placer(parent, window, start))  # fmt: skip


def _placer(parent: Chunk, window: Decoded, start: int) -> Finish:
    data, limit = parent.data, parent.limit

    def place(found: list[Finding]) -> list[Finding]:
        out = []
        for f in found:
            a = start + window.original(f.start_offset)
            b = start + window.original(f.end_offset)
            if a >= limit:
                continue  # the next block has it
            line, column = position(data, a, parent.line, parent.carry)
            end_line, end_column = position(data, b, parent.line, parent.carry)
            out.append(f._replace(
                line=line, column=column, end_line=end_line, end_column=end_column,
                start_offset=parent.base + a, end_offset=parent.base + b,
                location={"decoded": "JSON escapes"},
            ))  # fmt: skip
        return out

    return place
