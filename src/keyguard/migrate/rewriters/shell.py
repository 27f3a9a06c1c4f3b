"""bash, zsh, sh and ksh rc files: assignments become one ``eval "$(keyguard env …)"`` block.

The block is POSIX sh, so the file still works in bash, zsh, dash and ksh; keyguard's own
error messages reach the terminal, so a failure stays visible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.errors import RewriteRefused
from keyguard.migrate.rewriters._base import Assignment
from keyguard.migrate.rewriters._base import Edit

# One statement per line: `export K=v`, `declare -x K=v`, `typeset -gx K=v`, `readonly K=v`,
# `K=v`; the value single-quoted, double-quoted or bare; an optional trailing comment.
_STATEMENT = re.compile(
    rb"^(?P<indent>[ \t]*)(?P<cmd>(?:export|declare\s+-[a-zA-Z]*x[a-zA-Z]*|typeset\s+-[a-zA-Z]*x"
    rb"[a-zA-Z]*|readonly)\s+)?(?P<var>[A-Za-z_][A-Za-z0-9_]*)="
    rb"(?P<value>'[^'\n]*'|\"(?:[^\"\\\n$`]|\\[\\\"$`])*\"|[^\s'\"`$;&|<>()#]*)"
    rb"(?P<rest>[ \t]*(?:[;&|].*|#.*)?)$",
    re.MULTILINE,
)
MARKER = b"# keyguard: keys moved to the vault; `keyguard migrate --undo FILE` restores them"


class ShellRewriter:
    format = "sh"

    def find(self, data: bytes, spans: Sequence[tuple[int, int]]) -> list[Assignment]:
        found = []
        for start, end in spans:
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", end)
            line_end = len(data) if line_end < 0 else line_end
            line = data[line_start:line_end]
            _refuse_inside_constructs(data, line_start, start)
            m = _STATEMENT.match(line)
            inside = m is not None and (
                line_start + m.start("value") <= start and end <= line_start + m.end("value")
            )
            if m is None or not inside:
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is not the value of a plain assignment "
                    "(several assignments on one line, a command, a heredoc?): move it by hand "
                    "or split the line"
                )
            rest = m.group("rest").strip()
            if rest and not rest.startswith(b"#"):
                raise RewriteRefused(f"line {line_of(data, start)}: more than one statement on it")
            value_start = line_start + m.start("value")
            value_end = line_start + m.end("value")
            if data[value_start : value_start + 1] in (b"'", b'"'):
                value_start, value_end = value_start + 1, value_end - 1
            if (value_start, value_end) != (start, end):
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is only part of the value"
                )
            var = m.group("var").decode()
            end_with_newline = min(line_end + 1, len(data))
            found.append(Assignment(var, line_start, end_with_newline, start, end))
        return found

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        pairs = " ".join(f"{a.var}={a.name}" for a in found)
        first = min(found, key=lambda a: a.start)
        indent = re.match(rb"[ \t]*", data[first.start : first.end])
        prefix = indent.group(0) if indent else b""
        block = (
            prefix + MARKER + b"\n" + prefix
            + f'eval "$(\'{keyguard}\' env --shell sh {pairs})"'.encode() + b"\n"
        )  # fmt: skip
        if not data[first.start : first.end].endswith(b"\n"):
            block = block[:-1]
        edits = [Edit(first.start, first.end, block + _kept_comment(data, first, prefix))]
        edits.extend(
            Edit(a.start, a.end, _kept_comment(data, a, prefix)) for a in found if a is not first
        )
        return edits

    def check(self, data: bytes) -> None:
        if b"\0" in data:
            raise RewriteRefused("not a text file")


def _kept_comment(data: bytes, a: Assignment, prefix: bytes) -> bytes:
    """A trailing ``# comment`` of a removed assignment stays, on a line of its own."""
    line = data[a.value_end : a.end]
    hash_at = line.find(b"#")
    if hash_at < 0:
        return b""
    comment = line[hash_at:].rstrip(b"\r\n")
    return prefix + comment + (b"\n" if data[a.start : a.end].endswith(b"\n") else b"")


def line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse_inside_constructs(data: bytes, line_start: int, start: int) -> None:
    before = data[:line_start]
    heredocs = re.findall(rb"<<-?\s*['\"]?(\w+)['\"]?", before)
    for tag in heredocs:
        opened = before.rfind(b"<<")
        if not re.search(rb"^\s*" + re.escape(tag) + rb"\s*$", before[opened:], re.MULTILINE):
            raise RewriteRefused(f"line {line_of(data, start)}: the key is inside a heredoc")
    if data[line_start:start].count(b"$(") > data[line_start:start].count(b")"):
        raise RewriteRefused(
            f"line {line_of(data, start)}: the key is inside a command substitution"
        )
