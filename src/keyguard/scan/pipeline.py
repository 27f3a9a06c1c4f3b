"""One input through the scan: kind → reader → matcher → escapes and views → locator.

``keyguard.formats.kinds`` says what the input is; its reader yields chunks of bytes (or the
members it holds, which go through here in turn); the ``Scanner`` matches each chunk; JSON
escapes and decoded views are matched where the kind has them; the kind's locator names the
place of each finding (the conversation and message, the key path, the variable).
"""

from __future__ import annotations

from keyguard.entrypoints import resolve as load
from keyguard.formats.kinds import Kind
from keyguard.formats.kinds import by_content
from keyguard.formats.kinds import kind_of
from keyguard.scan.finding import Finding
from keyguard.scan.finding import ScanError
from keyguard.scan.finding import ScanResult
from keyguard.scan.finding import mask_locations
from keyguard.scan.locators import Truncated
from keyguard.scan.readers import escapes
from keyguard.scan.readers._base import Chunk
from keyguard.scan.readers._base import Reader
from keyguard.scan.readers._base import Source
from keyguard.scan.readers.plain import PlainReader
from keyguard.scan.scanner import Scanner

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import BinaryIO

    from keyguard.scan.locators import Locator
    from keyguard.scan.readers._base import Opener
    from keyguard.scan.sources import Target

_PLAIN = "plain"
_readers: dict[str, Reader] = {_PLAIN: PlainReader()}  # stateless; loaded on first use


def scan_target(scanner: Scanner, target: Target, result: ScanResult | None = None) -> ScanResult:
    """Scan one file (or stdin) into ``result`` (a new one by default); read errors are
    recorded; a key that shows in a location (a chat's title) is masked there too."""
    result = ScanResult() if result is None else result
    first = len(result.findings)
    if target.path is None:
        scan_source(scanner, Source(target.display, target.display), result)
    else:
        source = Source(target.display, target.path, path=target.path, size=target.size)
        scan_source(scanner, source, result, scanner.options.format_hint)
    if any(f.location for f in result.findings[first:]):
        mask_locations(scanner.matcher, result.findings, first)
    return result


def scan_data(
    scanner: Scanner,
    data: bytes,
    display: str,
    result: ScanResult,
    location: Mapping[str, object] | None = None,
) -> None:
    """Scan bytes in memory (a git blob); its findings carry ``location``."""
    scan_source(scanner, Source(display, display, data=data, location=location), result)


def scan_source(
    scanner: Scanner, source: Source, result: ScanResult, hint: str | None = None
) -> None:
    first = len(result.findings)
    kind = kind_of(source.name, hint)
    decode = (kind if hint is None else kind_of(source.name)).escapes  # by name, always
    whole_file = source.path is not None and not source.member
    reader = _reader(kind.reader if whole_file else _PLAIN)
    try:
        for item in reader.read(source, scanner.options, result, decode):
            if isinstance(item, Source):
                scan_source(scanner, item, result)
            else:
                result.findings.extend(_match(scanner, item, result))
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        result.errors.append(ScanError(source.display, f"cannot read: {reason}"))
        return
    if source.location:
        _merge_location(result.findings, first, source.location)
    if not (whole_file or source.member) or kind.reader != _PLAIN or hint == _PLAIN:
        return  # stdin and blobs are not located; containers locate their own members
    if kind.view is not None and hint is None and whole_file:
        _views(scanner, source, kind, result, first, decode)
    if hint is not None or kind.locate_always or len(result.findings) > first:
        _locate(kind, source, result, first)


def _reader(spec: str) -> Reader:
    reader = _readers.get(spec)
    if reader is None:
        reader = _readers[spec] = load(spec)()  # type: ignore[operator]
    return reader


def _match(scanner: Scanner, chunk: Chunk, result: ScanResult) -> list[Finding]:
    """The findings of one chunk and of the escape windows decoded from it, placed."""
    found, suppressed = scanner.findings(chunk)
    if chunk.escapes:
        for window in escapes.chunks(chunk):
            more, hidden = scanner.findings(window)
            suppressed += hidden
            if more:
                assert window.finish is not None
                found.extend(window.finish(more))
    result.stats.suppressed += suppressed
    if chunk.location and found:
        found = [f._replace(location={**f.location, **chunk.location}) for f in found]
    if chunk.finish is not None:
        found = chunk.finish(found)
    return found


def _merge_location(findings: list[Finding], first: int, location: Mapping[str, object]) -> None:
    for i in range(first, len(findings)):
        f = findings[i]
        findings[i] = f._replace(location={**f.location, **location})


def _views(
    scanner: Scanner, source: Source, kind: Kind, result: ScanResult, first: int, decode: bool
) -> None:
    from keyguard.scan.readers.decoded import ViewReader  # only credential files have views

    assert kind.view is not None
    known = {f.fingerprint for f in result.findings[first:]}
    reader = ViewReader(load(kind.view), known)  # type: ignore[arg-type]
    for chunk in reader.read(source, scanner.options, result, decode):
        assert isinstance(chunk, Chunk)
        result.findings.extend(_match(scanner, chunk, result))


def _locate(kind: Kind, source: Source, result: ScanResult, first: int) -> None:
    """Name the place of each finding with the kind's locator (read from the file's content
    for the kinds that may be a chat export)."""
    opener: Opener = source.opener or _file_opener(source.path or "")
    found = result.findings[first:]
    try:
        located: Kind | None = kind
        if kind.content:
            with opener() as stream:
                head = stream.read(1 << 16)
            located = by_content(kind, source.name, head)
        if located is not None and located.locator is not None:
            locator: Locator = load(located.locator)(source.name)  # type: ignore[operator]
            locator.annotate(opener, found)
    except Truncated as exc:
        result.errors.append(ScanError(source.display, f"{exc} (findings before it are reported)"))
    except OSError as exc:
        result.errors.append(ScanError(source.display, f"cannot read: {exc.strerror}"))
    result.findings[first:] = found


def _file_opener(path: str) -> Opener:
    def open_file() -> BinaryIO:
        return open(path, "rb")  # noqa: SIM115 - the locator closes it

    return open_file
