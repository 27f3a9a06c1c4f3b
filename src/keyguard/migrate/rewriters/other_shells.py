"""csh/tcsh (``setenv K v``) and PowerShell profiles (``$env:K = 'v'``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.errors import InputError
from keyguard.migrate.rewriters._base import Assignment
from keyguard.migrate.rewriters._base import Edit
from keyguard.migrate.rewriters._base import require_whole_value
from keyguard.migrate.rewriters._base import statement_at

_VALUE = rb"(?P<value>'[^'\n]*'|\"[^\"\n$`]*\"|[^\s'\"`$;#]+)"
_CSH = re.compile(
    rb"^[ \t]*setenv[ \t]+(?P<var>[A-Za-z_][A-Za-z0-9_]*)[ \t]+" + _VALUE + rb"[ \t]*(?:#.*)?$",
    re.MULTILINE,
)
_PWSH = re.compile(
    rb"^[ \t]*\$env:(?P<var>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*" + _VALUE + rb"[ \t]*(?:#.*)?\r?$",
    re.IGNORECASE | re.MULTILINE,
)


class _LineRewriter:
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


class CshRewriter(_LineRewriter):
    format = "csh"
    pattern = _CSH
    what = "setenv NAME value"

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        return [Edit(a.start, a.end, f"\"`'{keyguard}' get {a.name}`\"".encode()) for a in found]


class PowerShellRewriter(_LineRewriter):
    format = "powershell"
    pattern = _PWSH
    what = "$env:NAME = value"

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        quoted = keyguard.replace("'", "''")
        return [
            Edit(a.start, a.end, f"(& '{quoted}' get {a.name} | Out-String).Trim()".encode())
            for a in found
        ]
