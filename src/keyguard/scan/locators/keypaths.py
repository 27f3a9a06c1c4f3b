"""The key path of a finding in a config file: YAML, TOML, INI-style files and variables.

* YAML (``.yaml``, ``.yml``, kube ``config``): the path of the scalar holding the key, from
  PyYAML's node positions (``users[0].user.token``);
* TOML: the table headers and (dotted, inline-table) keys before the value
  (``mcp_servers.github.env.GITHUB_TOKEN``), read line by line;
* INI-style (``.pypirc``, ``~/.aws/credentials``, ``.npmrc``, ``.gitconfig``, ``*.ini``,
  ``*.cfg``): ``section.key`` (``default.aws_secret_access_key``);
* shell rc, ``.env``, fish, csh and PowerShell files: the variable assigned, as ``keyguard
  migrate`` reads it.

Configs are small: each is read whole (up to ``LIMIT``); a file that does not parse keeps its
findings with their line and column only.
"""

from __future__ import annotations

import re
from collections.abc import MutableSequence

from keyguard.scan.finding import Finding
from keyguard.scan.locators import Opener
from keyguard.scan.locators import read_whole

LIMIT = 4 << 20
_BARE = re.compile(r"[A-Za-z0-9_-]+\Z")


def _dotted(parts: list[str]) -> str:
    return ".".join(p if _BARE.match(p) or p.startswith("[") else f'"{p}"' for p in parts).replace(
        ".[", "["
    )


def _set(findings: MutableSequence[Finding], i: int, key: str) -> None:
    if key:
        findings[i] = findings[i]._replace(location={**findings[i].location, "key_path": key})


class YamlConfig:
    source = "YAML config"

    def __init__(self, path: str = "") -> None:
        self.path = path

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        import yaml

        data = read_whole(open_, LIMIT)
        if data is None:
            return
        text = data.decode("utf-8", "replace")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            documents = list(yaml.compose_all(text, Loader=loader))
        except yaml.YAMLError:
            return
        for i, f in enumerate(findings):
            at = len(data[: f.start_offset].decode("utf-8", "replace"))
            for document in documents:
                if _inside(document, at):
                    _set(findings, i, _dotted(_yaml_path(document, at)))
                    break


def _yaml_path(node: object, at: int) -> list[str]:
    import yaml

    parts: list[str] = []
    while True:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if _inside(v, at) or _inside(k, at)), None)
            if pair is None:
                return parts
            parts.append(str(pair[0].value))
            node = pair[1]
        elif isinstance(node, yaml.SequenceNode):
            index = next((n for n, v in enumerate(node.value) if _inside(v, at)), None)
            if index is None:
                return parts
            parts.append(f"[{index}]")
            node = node.value[index]
        else:
            return parts


def _inside(node: object, at: int) -> bool:
    return node.start_mark.index <= at < node.end_mark.index  # type: ignore[attr-defined, no-any-return]


_TOML_TOKEN = re.compile(
    r"""(?P<key>(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
    r"""(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'))*)\s*="""
    r"""|(?P<string>"(?:[^"\\]|\\.)*"|'[^']*')|(?P<open>\{)|(?P<close>\})|(?P<comment>#.*)"""
    r"""|(?P<list>\[)|(?P<end>\])|(?P<comma>,)"""
)
_TOML_HEADER = re.compile(r"\s*(\[\[?)\s*(?P<name>[^\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_PART = re.compile(r"""[A-Za-z0-9_-]+|"((?:[^"\\]|\\.)*)"|'([^']*)'""")


def _toml_keys(dotted: str) -> list[str]:
    return [m.group(1) or m.group(2) or m.group() for m in _TOML_PART.finditer(dotted)]


class TomlConfig:
    source = "TOML config"

    def __init__(self, path: str = "") -> None:
        self.path = path

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        data = read_whole(open_, LIMIT)
        if data is None:
            return
        wanted = {f.line for f in findings}
        table: list[str] = []
        arrays: dict[str, int] = {}
        last: list[str] = []  # the key of the last assignment: a multi-line value's owner
        paths: dict[int, tuple[list[str], list[str], str]] = {}
        for number, line in enumerate(data.decode("utf-8", "replace").split("\n"), 1):
            header = _TOML_HEADER.match(line)
            if header and not line.lstrip().startswith("[="):
                table = _in_arrays(_toml_keys(header.group("name")), arrays)
                if header.group(1) == "[[":
                    name = ".".join(table)
                    arrays[name] = arrays.get(name, -1) + 1
                    table = [*table, f"[{arrays[name]}]"]
                last = []
                continue
            keys = [m.group("key") for m in _TOML_TOKEN.finditer(line) if m.group("key")]
            if keys:
                last = _toml_keys(keys[0])
            if number in wanted:
                paths[number] = (table, last, line)
        for i, f in enumerate(findings):
            found = paths.get(f.line)
            if found is not None:
                where, key, line = found
                _set(findings, i, _dotted(where + _inline(key, line, f.column - 1)))


def _in_arrays(keys: list[str], arrays: dict[str, int]) -> list[str]:
    """``[servers.env]`` after ``[[servers]]`` belongs to the last servers element:
    ``servers[1].env`` (nested arrays of tables too)."""
    resolved: list[str] = []
    for i, key in enumerate(keys):
        resolved.append(key)
        name = ".".join(resolved)
        if name in arrays and i < len(keys) - 1:
            resolved.append(f"[{arrays[name]}]")
    return resolved


def _inline(base: list[str], line: str, column: int) -> list[str]:
    """The keys on ``line`` that hold ``column``: ``env = { K = "v" }`` gives env.K,
    ``args = ["-t", "v"]`` gives args[1]; ``base`` when the line assigns nothing (the rest of
    a multi-line value)."""
    frames: list[list[str] | int] = [[]]  # a table's keys, or an array's current index
    for m in _TOML_TOKEN.finditer(line, 0, column):
        top = frames[-1]
        if m.group("key") and isinstance(top, list):
            frames[-1] = _toml_keys(m.group("key"))
        elif m.group("open"):
            frames.append([])
        elif m.group("list"):
            frames.append(0)
        elif (m.group("close") or m.group("end")) and len(frames) > 1:
            frames.pop()
        elif m.group("comma") and isinstance(top, int):
            frames[-1] = top + 1
    if not frames[0]:
        return base
    return [part for frame in frames
            for part in (frame if isinstance(frame, list) else [f"[{frame}]"])]  # fmt: skip


_INI_SECTION = re.compile(r"\s*\[(?P<name>[^\]]+)\]\s*(?:[#;].*)?$")
_INI_KEY = re.compile(r"\s*(?P<key>[^=:#;\s][^=:]*?)\s*[=:]")
_NPMRC_KEY = re.compile(r"\s*(?P<key>[^=#;\s][^=]*?)\s*=")  # keys hold ':' (//host/:_authToken)


class IniConfig:
    source = "INI config"

    def __init__(self, path: str = "") -> None:
        self.pattern = _NPMRC_KEY if path.endswith(".npmrc") else _INI_KEY

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        data = read_whole(open_, LIMIT)
        if data is None:
            return
        wanted = {f.line for f in findings}
        section = ""
        key = ""
        keys: dict[int, str] = {}
        for number, line in enumerate(data.decode("utf-8", "replace").split("\n"), 1):
            header = _INI_SECTION.match(line)
            if header:
                section, key = header.group("name").strip(), ""
                continue
            m = self.pattern.match(line)
            if m and not line[:1].isspace():  # an indented line continues the value before
                key = m.group("key")
            if number in wanted and key:
                keys[number] = f"{section}.{key}" if section else key
        for i, f in enumerate(findings):
            _set(findings, i, keys.get(f.line, ""))


class Variables:
    """Shell rc, ``.env``, fish, csh, PowerShell: the variable each key is assigned to."""

    source = "variables"

    def __init__(self, path: str) -> None:
        self.path = path

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        from keyguard.errors import KeyguardError
        from keyguard.formats.kinds import rewriter_for

        data = read_whole(open_, LIMIT)
        if data is None:
            return
        try:
            rewriter = rewriter_for(self.path)
        except KeyguardError:
            return
        for i, f in enumerate(findings):
            try:
                found = rewriter.find(data, [(f.start_offset, f.end_offset)])
            except KeyguardError:
                continue  # not a plain assignment: the line says where
            if found:
                _set(findings, i, found[0].var)
