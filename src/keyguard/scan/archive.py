"""Zip archives (chat exports arrive as one): each text member scanned where it lies.

Members are streamed, never extracted to disk; a finding's path is ``archive.zip!member``.
Nested archives are not opened; encrypted or damaged members are reported and skipped.
"""

from __future__ import annotations

import zipfile

from keyguard.scan.finding import ScanError
from keyguard.scan.finding import ScanResult
from keyguard.scan.scanner import annotates

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.scanner import Scanner


def scan_zip(scanner: Scanner, path: str, display: str, result: ScanResult) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        reason = getattr(exc, "strerror", None) or "not a readable zip archive"
        result.errors.append(ScanError(display, f"cannot read: {reason}"))
        return
    limit = scanner.options.max_file_size
    with archive:
        for member in archive.infolist():
            name = f"{display}!{member.filename}"
            if member.is_dir() or member.filename.endswith(".zip"):
                continue
            if limit is not None and member.file_size > limit:
                result.stats.skipped_large += 1
                result.errors.append(
                    ScanError(
                        name, f"skipped: {member.file_size} bytes is over --max-file-size", False
                    )  # fmt: skip
                )
                continue
            first = len(result.findings)
            try:
                with archive.open(member) as stream:
                    scanner._scan_stream(stream, name, result)  # type: ignore[arg-type]  # noqa: SLF001
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
                result.errors.append(ScanError(name, f"cannot read: {_reason(exc)}"))
                continue
            if annotates(member.filename, len(result.findings) > first):

                def opener(member: zipfile.ZipInfo = member):  # type: ignore[no-untyped-def]
                    return archive.open(member)

                scanner._annotate(member.filename, name, result, first, opener)  # noqa: SLF001


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) and "encrypted" in str(exc):
        return "encrypted member"
    return exc.__class__.__name__
