"""The items of a top-level JSON array, one at a time, with their byte spans.

A chat export is one array of hundreds of MB; each item (a conversation) is small.  The C
decoder's ``raw_decode`` parses one item from a buffer that grows only as far as that item
needs, so memory stays at one item plus a block, and speed stays that of ``json``.
An object wrapper (``{"conversations": [...]}``) is accepted for the first array member.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import BinaryIO

from keyguard.scan.locators import Truncated

BLOCK = 1 << 20


def items(stream: BinaryIO) -> Iterator[tuple[object, int, int]]:
    """Yield ``(item, start, end)`` for each element of the file's top-level array."""
    decoder = json.JSONDecoder()
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    buffer = ""
    mark = [0, 0]  # an index into buffer and its byte offset in the file (both only grow)
    eof = False

    def fill() -> bool:
        nonlocal buffer, eof
        chunk = stream.read(max(BLOCK, len(buffer)))  # doubling: a huge item costs O(n)
        if not chunk:
            eof = True
            buffer += text.decode(b"", final=True)
            return False
        buffer += text.decode(chunk)
        return True

    def at(index: int) -> int:
        mark[1] += len(buffer[mark[0] : index].encode("utf-8", "surrogateescape"))
        mark[0] = index
        return mark[1]

    def skip(position: int) -> int:
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n":
                position += 1
            if position < len(buffer) or not fill():
                return position

    fill()
    position = skip(0)
    if buffer[position : position + 1] == "{":  # {"conversations": [ ... ]}
        opening = buffer.find("[", position)
        while opening < 0 and fill():
            opening = buffer.find("[", position)
        if opening < 0:
            raise Truncated(at(len(buffer)), "no array")
        position = opening
    if buffer[position : position + 1] != "[":
        raise Truncated(at(position), "not a JSON array")
    position = skip(position + 1)
    while True:
        if buffer[position : position + 1] == "]":
            return
        while True:
            try:
                item, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as exc:
                if eof or not fill():
                    raise Truncated(at(max(exc.pos, mark[0])), exc.msg) from None
        start_byte = at(position)
        yield item, start_byte, at(end)
        position = skip(end)
        if buffer[position : position + 1] == ",":
            position = skip(position + 1)
        elif buffer[position : position + 1] != "]":
            raise Truncated(at(position), "expected , or ]")
        if position > BLOCK:  # drop what is behind us
            at(position)
            buffer = buffer[position:]
            mark[0] = position = 0
