"""``.env`` files: the value becomes ``keyguard://NAME``; quoting, ``export``, comments and line
endings stay.  ``keyguard run --env-file`` and ``keyguard.dotenv.load()`` resolve it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.errors import RewriteRefused
from keyguard.migrate.rewriters._base import Assignment
from keyguard.migrate.rewriters._base import Edit
from keyguard.migrate.rewriters.shell import line_of

_LINE = re.compile(
    rb"^[ \t]*(?:export[ \t]+)?(?P<var>[A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*"
    rb"(?P<value>'[^'\r\n]*'|\"(?:[^\"\\\r\n]|\\.)*\"|[^\s#'\"]*)[ \t]*(?:#[^\r\n]*)?\r?$",
    re.MULTILINE,
)


class DotenvRewriter:
    format = "dotenv"

    def find(self, data: bytes, spans: Sequence[tuple[int, int]]) -> list[Assignment]:
        found = []
        for start, end in spans:
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", end)
            line_end = len(data) if line_end < 0 else line_end
            m = _LINE.match(data, line_start, line_end)
            if m is None or not (m.start("value") <= start and end <= m.end("value")):
                raise RewriteRefused(f"line {line_of(data, start)}: not a KEY=value line")
            value_start, value_end = m.span("value")
            if data[value_start : value_start + 1] in (b"'", b'"'):
                value_start, value_end = value_start + 1, value_end - 1
            if (value_start, value_end) != (start, end):
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is only part of the value"
                )
            found.append(Assignment(m.group("var").decode(), start, end, start, end))
        return found

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        return [Edit(a.value_start, a.value_end, f"keyguard://{a.name}".encode()) for a in found]

    def check(self, data: bytes) -> None:
        for number, line in enumerate(data.split(b"\n"), 1):
            stripped = line.strip()
            if stripped and not stripped.startswith(b"#") and not _LINE.match(line):
                raise RewriteRefused(f"line {number} is not a KEY=value line: is this a .env file?")
