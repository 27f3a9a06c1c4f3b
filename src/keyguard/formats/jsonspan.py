"""A JSON/JSONC reader that keeps byte spans, for rewrites that change only what they must.

Comments (``//``, ``/* */``) and trailing commas are accepted (JSONC); the caller decides
whether a file may have them.
"""

from __future__ import annotations

import json

from keyguard.errors import RewriteRefused


class Node:
    __slots__ = ("end", "items", "kind", "members", "start", "value")

    def __init__(self, kind: str, start: int) -> None:
        self.kind = kind  # object, array, string, scalar
        self.start = start
        self.end = start
        self.value: object = None
        self.members: list[Member] = []
        self.items: list[Node] = []

    def get(self, key: str) -> Node | None:
        for member in self.members:
            if member.key == key:
                return member.value
        return None


class Member:
    __slots__ = ("end", "key", "key_node", "start", "value")

    def __init__(self, key_node: Node, value: Node) -> None:
        self.key_node = key_node
        self.key = str(key_node.value)
        self.value = value
        self.start = key_node.start
        self.end = value.end


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.comments = False
        self.trailing_commas = False

    def fail(self, what: str) -> RewriteRefused:
        line = self.data.count(b"\n", 0, self.pos) + 1
        return RewriteRefused(f"not valid JSON at line {line}: {what}")

    def skip(self) -> None:
        data = self.data
        while self.pos < len(data):
            c = data[self.pos : self.pos + 1]
            if c in b" \t\r\n":
                self.pos += 1
            elif data.startswith(b"//", self.pos):
                self.comments = True
                end = data.find(b"\n", self.pos)
                self.pos = len(data) if end < 0 else end
            elif data.startswith(b"/*", self.pos):
                self.comments = True
                end = data.find(b"*/", self.pos + 2)
                if end < 0:
                    raise self.fail("an unterminated comment")
                self.pos = end + 2
            else:
                return

    def value(self) -> Node:
        self.skip()
        c = self.data[self.pos : self.pos + 1]
        if c == b"{":
            return self.object()
        if c == b"[":
            return self.array()
        if c == b'"':
            return self.string()
        node = Node("scalar", self.pos)
        while (
            self.pos < len(self.data) and self.data[self.pos : self.pos + 1] not in b",]}/ \t\r\n"
        ):
            self.pos += 1
        try:
            node.value = json.loads(self.data[node.start : self.pos])
        except ValueError:
            raise self.fail("an unexpected token") from None
        node.end = self.pos
        return node

    def string(self) -> Node:
        node = Node("string", self.pos)
        self.pos += 1
        data = self.data
        while True:
            if self.pos >= len(data):
                raise self.fail("an unterminated string")
            c = data[self.pos]
            if c == 0x5C:
                self.pos += 2
            elif c == 0x22:
                self.pos += 1
                break
            else:
                self.pos += 1
        node.end = self.pos
        node.value = json.loads(data[node.start : node.end])
        return node

    def object(self) -> Node:
        node = Node("object", self.pos)
        self.pos += 1
        while True:
            self.skip()
            if self.data[self.pos : self.pos + 1] == b"}":
                self.pos += 1
                break
            key = self.string() if self.data[self.pos : self.pos + 1] == b'"' else None
            if key is None:
                raise self.fail("an object key")
            self.skip()
            if self.data[self.pos : self.pos + 1] != b":":
                raise self.fail("a ':'")
            self.pos += 1
            node.members.append(Member(key, self.value()))
            self.skip()
            c = self.data[self.pos : self.pos + 1]
            if c == b",":
                self.pos += 1
                self.skip()
                if self.data[self.pos : self.pos + 1] == b"}":
                    self.trailing_commas = True
            elif c != b"}":
                raise self.fail("a ',' or '}'")
        node.end = self.pos
        return node

    def array(self) -> Node:
        node = Node("array", self.pos)
        self.pos += 1
        while True:
            self.skip()
            if self.data[self.pos : self.pos + 1] == b"]":
                self.pos += 1
                break
            node.items.append(self.value())
            self.skip()
            c = self.data[self.pos : self.pos + 1]
            if c == b",":
                self.pos += 1
                self.skip()
                if self.data[self.pos : self.pos + 1] == b"]":
                    self.trailing_commas = True
            elif c != b"]":
                raise self.fail("a ',' or ']'")
        node.end = self.pos
        return node


def parse(data: bytes) -> tuple[Node, bool]:
    """The root node, and whether the text used JSONC extensions (comments, trailing commas)."""
    reader = _Reader(data)
    root = reader.value()
    reader.skip()
    if reader.pos != len(data):
        raise reader.fail("text after the end")
    return root, reader.comments or reader.trailing_commas


def plain(node: Node) -> object:
    """The Python value of a node."""
    if node.kind == "object":
        return {m.key: plain(m.value) for m in node.members}
    if node.kind == "array":
        return [plain(item) for item in node.items]
    return node.value
