"""MCP server configs (Claude Desktop, Claude Code, Cursor, VS Code, Windsurf, Zed, Gemini CLI).

A stdio server holding a key in ``env`` is wrapped: ``command`` becomes keyguard's absolute
path and ``args`` become ``run --secret VAR=NAME … -- <original command> <original args>``;
the literal leaves ``env``.  JSON stays JSON and JSONC keeps its comments: every change is a
byte-span edit of the original text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from keyguard.errors import RewriteRefused
from keyguard.formats.jsonspan import Member
from keyguard.formats.jsonspan import Node
from keyguard.formats.jsonspan import parse
from keyguard.formats.jsonspan import plain
from keyguard.formats.rewriters._base import Assignment
from keyguard.formats.rewriters._base import Edit
from keyguard.formats.rewriters._base import line_of

ROOTS = ("mcpServers", "servers", "context_servers")


def _servers(root: Node) -> list[tuple[str, Node]]:
    found: list[tuple[str, Node]] = []
    for key in ROOTS:
        table = root.get(key)
        if table is not None and table.kind == "object":
            found.extend((m.key, m.value) for m in table.members if m.value.kind == "object")
    projects = root.get("projects")  # Claude Code's ~/.claude.json: per-project servers
    if projects is not None and projects.kind == "object":
        for project in projects.members:
            if project.value.kind == "object":
                found.extend(_servers(project.value))
    return found


def _command_node(server: Node) -> tuple[Node, Node | None, Node | None]:
    """(the object holding command/args/env, its command, its env); Zed's older shape nests
    them under ``command``."""
    command = server.get("command")
    if command is not None and command.kind == "object":  # {"command": {"path", "args", "env"}}
        return command, command.get("path"), command.get("env")
    return server, command, server.get("env")


class McpJsonRewriter:
    format = "mcp-json"

    def find(self, data: bytes, spans: Sequence[tuple[int, int]]) -> list[Assignment]:
        root, _ = parse(data)
        found = []
        for start, end in spans:
            hit = None
            for name, server in _servers(root):
                holder, command, env = _command_node(server)
                for member in env.members if env is not None and env.kind == "object" else []:
                    value = member.value
                    if value.kind == "string" and value.start < start and end < value.end:
                        hit = (name, holder, command, member)
                headers = server.get("headers")
                if headers is not None and headers.start <= start < headers.end:
                    raise RewriteRefused(
                        f"line {line_of(data, start)}: a key in the headers of http server "
                        f"{name!r}: use the client's own indirection (Claude Code "
                        "headersHelper or ${VAR}, Cursor/Windsurf ${env:VAR}, VS Code "
                        "${input:id}) and `keyguard set` for the value"
                    )
            if hit is None:
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is not in a stdio server's env"
                )
            name, holder, command, member = hit
            if command is None or command.kind != "string":
                raise RewriteRefused(f"server {name!r} has no command to wrap")
            if (member.value.start + 1, member.value.end - 1) != (start, end):
                raise RewriteRefused(
                    f"line {line_of(data, start)}: the key is only part of {member.key}'s value"
                )
            found.append(Assignment(member.key, member.start, member.end, start, end, ""))
        return found

    def edits(self, data: bytes, found: Sequence[Assignment], keyguard: str) -> list[Edit]:
        root, _ = parse(data)
        edits: list[Edit] = []
        for _name, server in _servers(root):
            holder, command, env = _command_node(server)
            if env is None or env.kind != "object":
                continue
            mine = [a for a in found if any(m.start == a.start for m in env.members)]
            if not mine or command is None:
                continue
            secrets = []
            for a in mine:
                secrets += ["--secret", f"{a.var}={a.name}"]
            args_node = holder.get("args")
            original = [
                data[item.start : item.end].decode()
                for item in (args_node.items if args_node else [])
            ]
            new_args = ", ".join(
                [json.dumps(x) for x in ["run", *secrets, "--"]]
                + [data[command.start : command.end].decode(), *original]
            )
            edits.append(Edit(command.start, command.end, json.dumps(keyguard).encode()))
            if args_node is not None:
                edits.append(Edit(args_node.start, args_node.end, f"[{new_args}]".encode()))
            else:
                edits.append(Edit(command.end, command.end, f', "args": [{new_args}]'.encode()))
            edits.extend(_removals(env, {a.start for a in mine}))
        return edits

    def check(self, data: bytes) -> None:
        root, _ = parse(data)
        if root.kind != "object" or not _servers(root):
            raise RewriteRefused("no MCP servers in it (mcpServers, servers or context_servers)")


def _removals(env: Node, removed_starts: set[int]) -> list[Edit]:
    """Remove members, with the commas and spacing around them, keeping the rest as it was."""
    members: list[Member] = env.members
    edits = []
    i = 0
    while i < len(members):
        if members[i].start not in removed_starts:
            i += 1
            continue
        j = i
        while j + 1 < len(members) and members[j + 1].start in removed_starts:
            j += 1
        if j + 1 < len(members):
            edits.append(Edit(members[i].start, members[j + 1].start, b""))
        elif i > 0:
            edits.append(Edit(members[i - 1].end, members[j].end, b""))
        else:
            edits.append(Edit(members[i].start, members[j].end, b""))
        i = j + 1
    return edits


def same_outside(before: bytes, after: bytes) -> bool:
    """Only the wrapped servers' command, args and env differ."""
    a, b = plain(parse(before)[0]), plain(parse(after)[0])
    return bool(_strip(a) == _strip(b))


def _strip(tree: object) -> object:
    if isinstance(tree, dict):
        return {k: _strip(v) for k, v in tree.items() if k not in {"command", "args", "env"}}
    if isinstance(tree, list):
        return [_strip(v) for v in tree]
    return tree
