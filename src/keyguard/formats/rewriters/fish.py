"""fish: ``set -gx K value`` becomes ``set -gx K (keyguard get NAME | string collect)``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.errors import InputError
from keyguard.errors import RewriteRefused
from keyguard.formats.rewriters._base import Assignment
from keyguard.formats.rewriters._base import Edit
from keyguard.formats.rewriters._base import line_of
from keyguard.formats.rewriters._base import require_whole_value
from keyguard.formats.rewriters._base import statement_at

_SET = re.compile(
    rb"^[ \t]*set[ \t]+(?P<opts>(?:-[a-zA-Z]+[ \t]+|--(?:global|export|universal|local)[ \t]+)+)"
    rb"(?P<var>[A-Za-z_][A-Za-z0-9_]*)[ \t]+(?P<value>'[^'\n]*'|\"[^\"\n$]*\"|[^\s'\"#;]+)"
    rb"[ \t]*(?:#.*)?$",
    re.MULTILINE,
)


class FishRewriter:
    format = "fish"

    def find(self, data: bytes, spans: Sequence[tuple[int, int]]) -> list[Assignment]:
        found = []
        for start, end in spans:
            m = statement_at(_SET, data, start, end, "not a `set -x NAME value` line")
            options = m.group("opts")
            if b"U" in options or b"universal" in options:
                raise RewriteRefused(
                    f"line {line_of(data, start)}: a universal variable: run "
                    f"`set -eU {m.group('var').decode()}` in fish, then set it from keyguard"
                )
            require_whole_value(data, m, start, end)
            token_start, token_end = m.span("value")  # quotes included: the part replaced
            found.append(Assignment(m.group("var").decode(), token_start, token_end, start, end))
        return found

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        return [
            Edit(a.start, a.end, f"('{keyguard}' get {a.name} | string collect)".encode())
            for a in found
        ]

    def check(self, data: bytes) -> None:
        if b"\0" in data:
            raise InputError("not a text file")
