"""``.env`` files: the value becomes ``keyguard://NAME``; quoting, ``export``, comments and line
endings stay.  ``keyguard run --env-file`` and ``keyguard.dotenv.load()`` resolve it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.errors import RewriteRefused
from keyguard.formats.rewriters._base import Assignment
from keyguard.formats.rewriters._base import Edit
from keyguard.formats.rewriters._base import require_whole_value
from keyguard.formats.rewriters._base import statement_at

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
            m = statement_at(_LINE, data, start, end, "not a KEY=value line")
            require_whole_value(data, m, start, end)
            found.append(Assignment(m.group("var").decode(), start, end, start, end))
        return found

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        return [Edit(a.value_start, a.value_end, f"keyguard://{a.name}".encode()) for a in found]

    def check(self, data: bytes) -> None:
        for number, line in enumerate(data.split(b"\n"), 1):
            stripped = line.strip()
            if stripped and not stripped.startswith(b"#") and not _LINE.match(line):
                raise RewriteRefused(f"line {number} is not a KEY=value line: is this a .env file?")
