"""Redaction of streams.

* :class:`RedactingStream`: a text stream that redacts what is written through it, whole
  lines at a time.  ``print`` writes its text and the newline separately, and a value may
  arrive in pieces: the stream keeps the current line until its newline (or ``flush``).
* :class:`StreamMasker`: a byte stream masked as it arrives (``keyguard run``'s output, an
  MCP stdio server's framing included).  Bytes that cannot start a known value (raw, encoded
  or a fragment) go out at once; only a tail that could still grow into one is held, until
  the next bytes decide it, a newline arrives (for single-line values), or the caller flushes
  after a short silence.  Output without secrets passes byte for byte.
"""

from __future__ import annotations

import bisect
from typing import Any
from typing import TextIO

from keyguard.redact.redactor import Redactor

MAX_HOLD = 1 << 16  # a line longer than this is redacted and written in pieces


class RedactingStream:
    def __init__(self, stream: TextIO, redactor: Redactor) -> None:
        self._stream = stream
        self._redactor = redactor
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        cut = self._pending.rfind("\n") + 1
        if cut == 0 and len(self._pending) > MAX_HOLD:
            cut = len(self._pending) - 512  # keep a tail that a value may still complete
        if cut > 0:
            self._stream.write(self._redactor.redact(self._pending[:cut]))
            self._pending = self._pending[cut:]
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(self._redactor.redact(self._pending))
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:  # encoding, isatty, fileno, buffer …
        return getattr(self._stream, name)


def wrap_stream(stream: TextIO, redactor: Redactor) -> RedactingStream:
    return RedactingStream(stream, redactor)


class StreamMasker:
    """Feeds bytes through ``redactor``'s known values; see the module's docstring.

    The values are those registered when the masker is made.  Rule patterns, if the
    redactor has them, are applied to what goes out, but no tail is held for them.
    """

    def __init__(self, redactor: Redactor) -> None:
        self._redactor = redactor
        self._forms = sorted(set(redactor.forms()))
        self._starts = {form[0] for form in self._forms}
        self._longest = max((len(form) for form in self._forms), default=0)
        self._multiline = any(b"\n" in form for form in self._forms)
        self._held = b""

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def feed(self, data: bytes) -> bytes:
        """Masked output that is safe to write now."""
        buffer = self._held + data
        spans = self._redactor.find(buffer)
        cut = len(buffer) - self._tail(buffer)
        moved = True
        while moved:  # a value that reaches into the held tail is held whole
            moved = False
            for start, end, _ in spans:
                if start < cut < end:
                    cut, moved = start, True
        if len(buffer) - cut > MAX_HOLD:  # a endless run of overlapping values: let it go
            cut = len(buffer)
        self._held = buffer[cut:]
        head = buffer[:cut]
        done = [span for span in spans if span[1] <= cut]
        return self._redactor.replace(head, done) if done else head

    def _tail(self, buffer: bytes) -> int:
        """Length of the longest suffix of ``buffer`` that could still grow into a value."""
        upper = min(len(buffer), self._longest - 1)
        if not self._multiline:  # a line break ends any single-line value
            upper = min(upper, len(buffer) - buffer.rfind(b"\n") - 1)
        for length in range(upper, 0, -1):
            if buffer[-length] in self._starts and self._grows(buffer[-length:]):
                return length
        return 0

    def _grows(self, piece: bytes) -> bool:
        """Whether some registered form is longer than ``piece`` and starts with it."""
        at = bisect.bisect_left(self._forms, piece)
        while at < len(self._forms) and self._forms[at].startswith(piece):
            if len(self._forms[at]) > len(piece):
                return True
            at += 1
        return False

    def flush(self) -> bytes:
        """Release the held tail (end of stream, or silence), masked as far as it goes."""
        held, self._held = self._held, b""
        return self._redactor.redact_bytes(held) if held else held
