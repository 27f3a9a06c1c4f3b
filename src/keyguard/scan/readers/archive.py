"""Zip archives (chat exports arrive as one): each text member scanned where it lies.

Members are streamed, never extracted to disk; a finding's path is ``archive.zip!member`` and
a member's kind is told by its own name.  Nested archives are not opened; encrypted or
damaged members are reported and skipped.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

from keyguard.scan.finding import ScanError
from keyguard.scan.readers._base import Chunk
from keyguard.scan.readers._base import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO
    from typing import BinaryIO

    from keyguard.scan.finding import ScanResult
    from keyguard.scan.options import ScanOptions

_BROKEN = (zipfile.BadZipFile, RuntimeError, OSError, EOFError)


class ZipReader:
    def read(
        self, source: Source, options: ScanOptions, result: ScanResult, escapes: bool
    ) -> Iterator[Chunk | Source]:
        assert source.path is not None
        try:
            archive = zipfile.ZipFile(source.path)
        except (zipfile.BadZipFile, OSError) as exc:
            reason = getattr(exc, "strerror", None) or "not a readable zip archive"
            result.errors.append(ScanError(source.display, f"cannot read: {reason}"))
            return
        limit = options.max_file_size
        with archive:
            for member in archive.infolist():
                name = f"{source.display}!{member.filename}"
                if member.is_dir() or member.filename.endswith(".zip"):
                    continue
                if limit is not None and member.file_size > limit:
                    result.stats.skipped_large += 1
                    message = f"skipped: {member.file_size} bytes is over --max-file-size"
                    result.errors.append(ScanError(name, message, False))
                    continue
                yield Source(name, member.filename, opener=_Member(archive, member),
                             member=True)  # fmt: skip


class _Member:
    """Opens a member; a damaged or encrypted one fails as an ``OSError`` that says so."""

    def __init__(self, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
        self.archive = archive
        self.member = member

    def __call__(self) -> BinaryIO:
        try:
            return _Stream(self.archive.open(self.member))  # type: ignore[return-value]
        except _BROKEN as exc:
            raise OSError(0, _reason(exc)) from None


class _Stream:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw

    def read(self, size: int = -1) -> bytes:
        try:
            return self.raw.read(size)
        except _BROKEN as exc:
            raise OSError(0, _reason(exc)) from None

    def __getattr__(self, name: str) -> object:  # readline, seek, … as the member has them
        return getattr(self.raw, name)

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.raw)

    def __enter__(self) -> _Stream:  # noqa: PYI034 - a private class, never subclassed
        return self

    def __exit__(self, *exc: object) -> None:
        self.raw.close()

    def close(self) -> None:
        self.raw.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return "encrypted member"
    return exc.__class__.__name__
