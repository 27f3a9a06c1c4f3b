"""csh/tcsh: ``setenv K v`` becomes ``setenv K "`keyguard get NAME`"``."""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.formats.rewriters._base import Assignment
from keyguard.formats.rewriters._base import Edit
from keyguard.formats.rewriters._base import LineRewriter

_VALUE = rb"(?P<value>'[^'\n]*'|\"[^\"\n$`]*\"|[^\s'\"`$;#]+)"
_CSH = re.compile(
    rb"^[ \t]*setenv[ \t]+(?P<var>[A-Za-z_][A-Za-z0-9_]*)[ \t]+" + _VALUE + rb"[ \t]*(?:#.*)?$",
    re.MULTILINE,
)


class CshRewriter(LineRewriter):
    format = "csh"
    pattern = _CSH
    what = "setenv NAME value"

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        return [Edit(a.start, a.end, f"\"`'{keyguard}' get {a.name}`\"".encode()) for a in found]
