"""bash, zsh, sh and ksh rc files: assignments become one ``eval "$(keyguard env …)"`` block.

The block is POSIX sh, so the file still works in bash, zsh, dash and ksh; keyguard's own
error messages reach the terminal, so a failure stays visible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.errors import InputError
from keyguard.errors import RewriteRefused
from keyguard.formats.rewriters._base import Assignment
from keyguard.formats.rewriters._base import Edit
from keyguard.formats.rewriters._base import line_of

# One statement per line: `export K=v`, `declare -x K=v`, `typeset -gx K=v`, `readonly K=v`,
# `K=v`, or several `K=v` after one command; each value single-quoted, double-quoted or bare;
# then nothing, another statement after `;`/`&&`/`|`, or a trailing comment.
_VALUE = rb"(?:'[^'\n]*'|\"(?:[^\"\\\n$`]|\\[\\\"$`])*\"|[^\s'\"`$;&|<>()#][^\s'\"`$;&|<>()]*|)"
_HEAD = re.compile(
    rb"(?P<indent>[ \t]*)(?P<cmd>(?:export|declare\s+-[a-zA-Z]*x[a-zA-Z]*|typeset\s+-[a-zA-Z]*x"
    rb"[a-zA-Z]*|readonly)\s+)?"
)
_PAIR = re.compile(rb"(?P<var>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>" + _VALUE + rb")(?=[ \t;&|#]|$)")
_GAP = re.compile(rb"[ \t]+")
_REST = re.compile(rb"[ \t]*(?:[;&|].*|#.*)?$")
MARKER = b"# keyguard: keys moved to the vault; `keyguard migrate --undo FILE` restores them"


class ShellRewriter:
    format = "sh"

    def find(self, data: bytes, spans: Sequence[tuple[int, int]]) -> list[Assignment]:
        found: list[Assignment] = []
        lines: dict[int, list[int]] = {}  # line start -> indexes into found
        for start, end in spans:
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", end)
            line_end = len(data) if line_end < 0 else line_end
            _refuse_inside_constructs(data, line_start, start)
            pairs, rest = _statement(data, line_start, line_end)
            pair = next((p for p in pairs if p[3] <= start and end <= p[4]), None)
            if pair is None:
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is not the value of a plain assignment "
                    "(a command argument, a function, an unbalanced quote?): move it by hand"
                )
            if rest.strip() and not rest.strip().startswith(b"#"):
                raise RewriteRefused(f"line {line_of(data, start)}: more than one statement on it")
            var, token_start, token_end, value_start, value_end = pair
            if data[value_start : value_start + 1] in (b"'", b'"'):
                value_start, value_end = value_start + 1, value_end - 1
            if (value_start, value_end) != (start, end):
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is only part of the value"
                )
            if len(pairs) == 1:  # the whole line goes
                token_start, token_end = line_start, min(line_end + 1, len(data))
            else:  # only this `K=v` goes, with the blank before it
                token_start = _blank_before(data, token_start, line_start)
            found.append(Assignment(var, token_start, token_end, start, end))
            lines.setdefault(line_start, []).append(len(found) - 1)
        for line_start, indexes in lines.items():
            line_end = data.find(b"\n", line_start)
            line_end = len(data) if line_end < 0 else line_end
            if len(indexes) == len(_statement(data, line_start, line_end)[0]) > 1:
                # every assignment on the line is a key: the first takes the whole line, the
                # others nothing (an `export` left alone would print the environment)
                first, *others = sorted(indexes, key=lambda i: found[i].start)
                whole = (line_start, min(line_end + 1, len(data)))
                found[first] = found[first]._replace(start=whole[0], end=whole[1])
                for i in others:
                    found[i] = found[i]._replace(start=line_start, end=line_start)
        return found

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        pairs = " ".join(f"{a.var}={a.name}" for a in found)
        first = min((a for a in found if a.end > a.start), key=lambda a: a.start)
        line_start = data.rfind(b"\n", 0, first.start) + 1
        indent = re.match(rb"[ \t]*", data[line_start:])
        prefix = indent.group(0) if indent else b""
        block = (
            prefix + MARKER + b"\n" + prefix
            + f'eval "$(\'{keyguard}\' env --shell sh {pairs})"'.encode() + b"\n"
        )  # fmt: skip
        edits = []
        for a in found:
            if a.end == a.start:
                continue  # its line went with another key
            if a.start == data.rfind(b"\n", 0, a.value_start) + 1:  # the whole line goes
                text = _kept_comment(data, a, prefix)
                if a is first:
                    newline = data[a.start : a.end].endswith(b"\n")
                    text = (block if newline else block[:-1]) + text
                edits.append(Edit(a.start, a.end, text))
            else:
                edits.append(Edit(a.start, a.end, b""))
        if first.start != line_start:  # the line keeps other assignments: block before it
            edits.append(Edit(line_start, line_start, block))
        return edits

    def check(self, data: bytes) -> None:
        if b"\0" in data:
            raise InputError("not a text file")


def _kept_comment(data: bytes, a: Assignment, prefix: bytes) -> bytes:
    """A trailing ``# comment`` of a removed assignment stays, on a line of its own."""
    line = data[a.value_end : a.end]
    hash_at = line.find(b"#")
    if hash_at < 0:
        return b""
    comment = line[hash_at:].rstrip(b"\r\n")
    return prefix + comment + (b"\n" if data[a.start : a.end].endswith(b"\n") else b"")


def _statement(
    data: bytes, line_start: int, line_end: int
) -> tuple[list[tuple[str, int, int, int, int]], bytes]:
    """The `K=v` pairs of one line (var, token span, value span) and what follows them."""
    line = data[line_start:line_end]
    head = _HEAD.match(line)
    position = head.end() if head else 0
    pairs = []
    while True:
        m = _PAIR.match(line, position)
        if m is None:
            break
        pairs.append((m.group("var").decode(), line_start + m.start(), line_start + m.end(),
                      line_start + m.start("value"), line_start + m.end("value")))  # fmt: skip
        gap = _GAP.match(line, m.end())
        position = gap.end() if gap else m.end()
        if gap is None:
            break
    rest = line[position:]
    if not _REST.match(rest):
        return [], rest
    return pairs, rest


def _blank_before(data: bytes, start: int, floor: int) -> int:
    while start > floor and data[start - 1 : start] in (b" ", b"\t"):
        start -= 1
    return start


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


_SOURCE = re.compile(
    rb"^[ \t]*(?:source|\.)[ \t]+(['\"]?)([^'\"\s;&|]+)\1[ \t]*(?:[;&|#].*)?$", re.MULTILINE
)


def sourced_files(path: str, data: bytes) -> list[str]:
    """The files ``path`` sources (``source F`` / ``. F``) that exist, ``~``/``$HOME`` expanded
    and relative ones taken from the file's folder (the usual layout for rc fragments)."""
    import os

    home = os.path.expanduser("~")
    found = []
    for m in _SOURCE.finditer(data):
        target = m.group(2).decode("utf-8", "replace")
        for prefix in ("$HOME/", "${HOME}/", "~/"):
            if target.startswith(prefix):
                target = os.path.join(home, target[len(prefix) :])
        if "$" in target:
            continue  # other variables: cannot know their value here
        target = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(path)), target))
        if os.path.isfile(target) and target not in found:
            found.append(target)
    return found
