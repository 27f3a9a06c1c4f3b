"""Regular expressions compiled on first use: module constants that cost nothing to import.

The pre-commit hook imports the whole rule table on every commit; most of its helper
patterns are never needed when a commit holds no keyword at all.
"""

from __future__ import annotations

import re
import sys


class LazyPattern:
    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: bytes, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: re.Pattern[bytes] | None = None

    def compiled(self) -> re.Pattern[bytes]:
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def search(
        self, string: bytes, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[bytes] | None:
        return self.compiled().search(string, pos, endpos)

    def fullmatch(self, string: bytes) -> re.Match[bytes] | None:
        return self.compiled().fullmatch(string)

    def findall(self, string: bytes) -> list[bytes]:
        return self.compiled().findall(string)


def lazy(source: bytes, flags: int = 0) -> LazyPattern:
    return LazyPattern(source, flags)
