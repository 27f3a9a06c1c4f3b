"""A text stream that redacts what is written through it, whole lines at a time.

``print`` writes its text and the newline separately, and a value may arrive in pieces: the
stream keeps the current line until its newline (or ``flush``), then redacts and writes it.
"""

from __future__ import annotations

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
