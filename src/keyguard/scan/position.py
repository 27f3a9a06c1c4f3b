"""Line and column of a byte offset, as findings report them."""

from __future__ import annotations


def position(data: bytes, offset: int, first_line: int, carry: int) -> tuple[int, int]:
    """The 1-based line and column (in characters) of ``data[offset]``, where ``data`` starts
    on line ``first_line`` after ``carry`` columns."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = first_line + data.count(b"\n", 0, offset)
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    if line_start == 0:
        column += carry
    return line, column
