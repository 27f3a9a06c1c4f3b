"""Plain files, streams and bytes in memory: one read for small inputs, bounded overlapping
blocks for large ones.  Binary inputs stop after the first ``SNIFF`` bytes; a UTF-16 file
(byte-order mark) is matched as UTF-8."""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Iterator

from keyguard.scan.finding import ScanError
from keyguard.scan.readers._base import Chunk
from keyguard.scan.readers._base import Source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO

    from keyguard.scan.finding import ScanResult
    from keyguard.scan.options import ScanOptions

SMALL = 1 << 20  # files up to this size are read with a single read()
OVERLAP = 64 << 10  # longer than any rule's longest match, so none is cut in two
SNIFF = 8000  # bytes examined for NUL to call a file binary (git's heuristic)
_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class PlainReader:
    def read(
        self, source: Source, options: ScanOptions, result: ScanResult, escapes: bool
    ) -> Iterator[Chunk | Source]:
        if source.data is not None:
            yield from memory(source.data, source.display, options.block, result, escapes)
        elif source.path is not None:
            yield from _file(source, options, result, escapes)
        elif source.opener is None:  # stdin: read, never closed
            yield from stream_chunks(sys.stdin.buffer, source.display, options.block, result,
                                     escapes)  # fmt: skip
        else:
            with source.opener() as stream:
                yield from stream_chunks(stream, source.display, options.block, result, escapes)


def memory(
    data: bytes, display: str, block: int, result: ScanResult, escapes: bool
) -> Iterator[Chunk]:
    """An input held in memory (a git blob, a database value, a decoded view)."""
    if len(data) <= block:
        yield from whole(data, display, result, escapes)
    else:
        yield from stream_chunks(io.BytesIO(data), display, block, result, escapes)


def whole(data: bytes, display: str, result: ScanResult, escapes: bool) -> Iterator[Chunk]:
    stats = result.stats
    if data.startswith(_BOMS):
        data = data.decode("utf-16", "replace").encode("utf-8", "surrogateescape")
    elif b"\0" in data[:SNIFF]:
        stats.skipped_binary += 1
        return
    stats.files += 1
    stats.bytes += len(data)
    yield Chunk(data, display, escapes=escapes)


def _file(
    source: Source, options: ScanOptions, result: ScanResult, escapes: bool
) -> Iterator[Chunk]:
    assert source.path is not None
    fd = os.open(source.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = source.size if source.size >= 0 else os.fstat(fd).st_size
        limit = options.max_file_size
        if limit is not None and size > limit:
            result.stats.skipped_large += 1
            message = f"skipped: {size} bytes is over --max-file-size"
            result.errors.append(ScanError(source.display, message, False))
            return
        head = b""
        if size <= SMALL:
            # One read for the common case: a small text file.
            head = os.read(fd, size + 1)
            if len(head) <= size:
                yield from whole(head, source.display, result, escapes)
                return
        with os.fdopen(os.dup(fd), "rb") as stream:
            yield from stream_chunks(stream, source.display, options.block, result, escapes, head)
    finally:
        os.close(fd)


def stream_chunks(
    stream: BinaryIO,
    display: str,
    block: int,
    result: ScanResult,
    escapes: bool,
    head: bytes = b"",
) -> Iterator[Chunk]:
    """Blocks of ``block`` bytes, each followed by ``OVERLAP`` bytes of the next (a match
    starting in the overlap is left to the next block)."""
    stats = result.stats
    if len(head) < SNIFF:
        head += stream.read(SNIFF - len(head))
    utf16 = head.startswith(_BOMS)
    if b"\0" in head[:SNIFF] and not utf16:
        stats.skipped_binary += 1
        return
    if len(head) < block + OVERLAP:
        head += stream.read(block + OVERLAP - len(head))
    if utf16:
        if len(head) > block:
            stats.skipped_binary += 1  # a UTF-16 file this large is left alone
            return
        head = head.decode("utf-16", "replace").encode("utf-8", "surrogateescape")
    stats.files += 1
    base, line, carry = 0, 1, 0
    buffer = head
    while True:
        last = len(buffer) <= block
        limit = len(buffer) if last else block
        yield Chunk(buffer, display, base, line, carry, limit, escapes=escapes)
        if last:
            stats.bytes += base + len(buffer)
            return
        consumed = buffer[:block]
        newline = consumed.rfind(b"\n")
        tail = consumed[newline + 1 :]
        carry = len(tail.decode("utf-8", "replace")) + (carry if newline < 0 else 0)
        line += consumed.count(b"\n")
        base += block
        buffer = buffer[block:] + stream.read(block)
