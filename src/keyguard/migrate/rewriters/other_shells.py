"""csh/tcsh (``setenv K v``) and PowerShell profiles (``$env:K = 'v'``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.errors import InputError
from keyguard.errors import RewriteRefused
from keyguard.migrate.rewriters._base import Assignment
from keyguard.migrate.rewriters._base import Edit
from keyguard.migrate.rewriters.shell import line_of

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
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", end)
            line_end = len(data) if line_end < 0 else line_end
            m = self.pattern.match(data, line_start, line_end)
            if m is None or not (m.start("value") <= start and end <= m.end("value")):
                raise RewriteRefused(f"line {line_of(data, start)}: not a `{self.what}` line")
            vs, ve = m.span("value")
            inner = (vs + 1, ve - 1) if data[vs : vs + 1] in (b"'", b'"') else (vs, ve)
            if inner != (start, end):
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is only part of the value"
                )
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
