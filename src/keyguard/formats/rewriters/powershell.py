"""PowerShell profiles: ``$env:K = 'v'`` becomes ``(& keyguard get NAME | Out-String).Trim()``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.formats.rewriters._base import Assignment
from keyguard.formats.rewriters._base import Edit
from keyguard.formats.rewriters._base import LineRewriter

_VALUE = rb"(?P<value>'[^'\n]*'|\"[^\"\n$`]*\"|[^\s'\"`$;#]+)"
_PWSH = re.compile(
    rb"^[ \t]*\$env:(?P<var>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*" + _VALUE + rb"[ \t]*(?:#.*)?\r?$",
    re.IGNORECASE | re.MULTILINE,
)


class PowerShellRewriter(LineRewriter):
    format = "powershell"
    pattern = _PWSH
    what = "$env:NAME = value"

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        quoted = keyguard.replace("'", "''")
        return [
            Edit(a.start, a.end, f"(& '{quoted}' get {a.name} | Out-String).Trim()".encode())
            for a in found
        ]
