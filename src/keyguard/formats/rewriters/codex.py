"""Codex ``config.toml``: ``[mcp_servers.NAME]`` servers get the same launcher wrap as MCP JSON
configs; the literal leaves ``env`` (inline table or ``[mcp_servers.NAME.env]`` sub-table).
Edits are line and span edits: comments, order and style stay."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from keyguard.errors import RewriteRefused
from keyguard.formats.rewriters._base import Assignment
from keyguard.formats.rewriters._base import Edit
from keyguard.formats.rewriters._base import line_of

_HEADER = re.compile(rb"^[ \t]*\[(?P<name>[^\[\]\n]+)\][ \t]*(?:#.*)?$", re.MULTILINE)
_KEY = rb'(?:"(?P<q>[^"\n]+)"|(?P<b>[A-Za-z0-9_-]+))'
_STRING = rb'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\''
_MEMBER = _KEY + rb"[ \t]*=[ \t]*(?P<v>" + _STRING + rb")[ \t]*,?[ \t]*"


def _toml(data: bytes) -> dict[str, object]:
    from keyguard.config import parse_toml

    try:
        return parse_toml(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RewriteRefused(f"not valid TOML: {exc}") from None


def _table_at(data: bytes, offset: int) -> tuple[str, int]:
    """The table header in force at ``offset`` and where its section ends."""
    name, end = "", len(data)
    for m in _HEADER.finditer(data):
        if m.start() <= offset:
            name = m.group("name").decode().strip()
        elif end == len(data) and name:
            end = m.start()
            break
    return name, end


def _section(data: bytes, table: str) -> tuple[int, int]:
    for m in _HEADER.finditer(data):
        if m.group("name").decode().strip() == table:
            start = m.end()
            following = _HEADER.search(data, start)
            return start, following.start() if following else len(data)
    raise RewriteRefused(f"no [{table}] table")


class CodexRewriter:
    format = "codex-toml"

    def find(self, data: bytes, spans: Sequence[tuple[int, int]]) -> list[Assignment]:
        found = []
        for start, end in spans:
            table, _ = _table_at(data, start)
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", end)
            line_end = len(data) if line_end < 0 else line_end
            line = data[line_start:line_end]
            parts = table.split(".")
            if len(parts) == 3 and parts[0] == "mcp_servers" and parts[2] == "env":
                m = re.match(rb"[ \t]*" + _KEY + rb"[ \t]*=[ \t]*(?P<v>" + _STRING + rb")", line)
                removal = (line_start, min(line_end + 1, len(data)))
                server = parts[1]
            elif (
                len(parts) == 2
                and parts[0] == "mcp_servers"
                and re.match(rb"[ \t]*env[ \t]*=", line)
            ):
                m = None
                for member in re.finditer(_MEMBER, line):
                    if line_start + member.start("v") < start and end < line_start + member.end(
                        "v"
                    ):
                        m = member
                removal = (line_start + m.start(), line_start + m.end()) if m else (0, 0)
                server = parts[1]
            else:
                raise RewriteRefused(f"line {line_of(data, start)}: not in an MCP server's env")
            if m is None:
                raise RewriteRefused(f'line {line_of(data, start)}: not a `NAME = "value"` entry')
            value_start = line_start + m.start("v") + 1
            value_end = line_start + m.end("v") - 1
            if (value_start, value_end) != (start, end):
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is only part of the value"
                )
            var = (m.group("q") or m.group("b")).decode()
            found.append(Assignment(f"{server}\0{var}", removal[0], removal[1], start, end))
        return found

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        edits: list[Edit] = []
        servers = sorted({a.var.split("\0")[0] for a in found})
        config: dict[str, dict[str, object]] = dict(_toml(data).get("mcp_servers", {}))  # type: ignore[call-overload]
        for server in servers:
            mine = [a for a in found if a.var.split("\0")[0] == server]
            start, stop = _section(data, f"mcp_servers.{server}")
            section = data[start:stop]
            command = re.search(
                rb"^[ \t]*command[ \t]*=[ \t]*(?P<v>" + _STRING + rb")[ \t]*(?:#.*)?$",
                section,
                re.MULTILINE,
            )
            if command is None:
                raise RewriteRefused(f"server {server!r} has no single-line command to wrap")
            secrets = []
            for a in mine:
                secrets += ["--secret", f"{a.var.split(chr(0))[1]}={a.name}"]
            entry = config.get(server) or {}
            original_args = list(entry.get("args", []))  # type: ignore[call-overload]
            new_args = json.dumps(["run", *secrets, "--", entry.get("command"), *original_args])
            edits.append(
                Edit(
                    start + command.start("v"),
                    start + command.end("v"),
                    json.dumps(keyguard).encode(),
                )
            )
            args = re.search(rb"^[ \t]*args[ \t]*=[ \t]*\[[^\n]*\][ \t]*$", section, re.MULTILINE)
            if args is not None:
                edits.append(
                    Edit(start + args.start(), start + args.end(), f"args = {new_args}".encode())
                )
            elif re.search(rb"^[ \t]*args[ \t]*=", section, re.MULTILINE):
                raise RewriteRefused(
                    f"server {server!r}: a multi-line args array; put it on one line"
                )
            else:
                edits.append(
                    Edit(
                        start + command.end(),
                        start + command.end(),
                        f"\nargs = {new_args}".encode(),
                    )
                )
            edits.extend(Edit(a.start, a.end, b"") for a in mine)
        return edits

    def check(self, data: bytes) -> None:
        if not isinstance(_toml(data).get("mcp_servers"), dict):
            raise RewriteRefused("no [mcp_servers] in it: is this Codex's config.toml?")
