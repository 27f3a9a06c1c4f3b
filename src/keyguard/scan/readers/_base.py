"""What readers yield: sources (a file, a blob, an archive member) and chunks of bytes to match.

A reader turns one ``Source`` into ``Chunk``s (bytes, where they sit, how to place what is
found in them) or into further ``Source``s (an archive's members), and records what it read
in the result's statistics and errors.  It never matches anything itself: the pipeline
(``keyguard.scan.pipeline``) hands each chunk to the ``Scanner`` and the findings to the
file kind's locator.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping

from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import BinaryIO
    from typing import Protocol

    from keyguard.scan.finding import Finding
    from keyguard.scan.finding import ScanResult
    from keyguard.scan.options import ScanOptions
else:
    Protocol = object

Opener = Callable[[], "BinaryIO"]  # opens the input from its start
Finish = Callable[[list["Finding"]], list["Finding"]]  # places what a chunk's matches found


class Source(Record):
    """One input.  ``display``: the place as shown; ``name``: what its kind is told by (a path,
    an archive member's name); ``path``: a file on disk; ``data``: an input in memory (a git
    blob); ``opener``: opens it otherwise (an archive member, stdin); ``member``: it sits in
    an archive (located through ``opener``); ``location``: keys every finding in it gets."""

    __slots__ = ("display", "name", "path", "data", "opener", "size", "member", "location")
    display: str
    name: str
    path: str | None
    data: bytes | None
    opener: Opener | None
    size: int
    member: bool
    location: Mapping[str, object] | None

    def __init__(
        self,
        display: str,
        name: str,
        path: str | None = None,
        data: bytes | None = None,
        opener: Opener | None = None,
        size: int = -1,
        member: bool = False,
        location: Mapping[str, object] | None = None,
    ) -> None:
        fill(self, locals())


class Chunk(Record):
    """Bytes to match.  ``base``/``line``/``carry``: the file offset, line and columns before
    ``data[0]``; a match starting at or after ``limit`` belongs to the next chunk; ``keep``
    filters matches by span before they become findings; ``finish`` places the findings
    (of this chunk and of the escape windows decoded from it) in the file; ``escapes``:
    decode JSON escapes in it (the file kind's choice)."""

    __slots__ = ("data", "display", "base", "line", "carry", "limit", "location", "keep",
                 "finish", "escapes")  # fmt: skip
    data: bytes
    display: str
    base: int
    line: int
    carry: int
    limit: int
    location: Mapping[str, object] | None
    keep: Callable[[int, int], bool] | None
    finish: Finish | None
    escapes: bool

    def __init__(
        self,
        data: bytes,
        display: str,
        base: int = 0,
        line: int = 1,
        carry: int = 0,
        limit: int = -1,
        location: Mapping[str, object] | None = None,
        keep: Callable[[int, int], bool] | None = None,
        finish: Finish | None = None,
        escapes: bool = False,
    ) -> None:
        if limit < 0:
            limit = len(data)
        fill(self, locals())


class Reader(Protocol):
    """Turns a source into chunks (or into the sources it holds)."""

    def read(
        self, source: Source, options: ScanOptions, result: ScanResult, escapes: bool
    ) -> Iterator[Chunk | Source]: ...
