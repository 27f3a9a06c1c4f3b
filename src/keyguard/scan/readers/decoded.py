"""Credential files that store keys encoded: scan the decoded text too.

* fish ``fish_variables`` writes ``-`` as ``\\x2d`` (``sk\\x2dant\\x2dapi03\\x2d…``);
* ``.git-credentials`` URL-encodes the user and password (``https://u:ghp_…@github.com``);
* docker ``config.json`` keeps ``auths.<registry>.auth`` as base64 of ``user:password``;
* ``.npmrc`` ``_auth`` / ``_password`` and kube config ``*-data`` values are base64.

Which file has which view is the ``view`` of its row in ``keyguard.formats.kinds``.

A finding in a decoded view is placed in the file: a base64 value's finding spans the encoded
value (its line, column and offsets), a fish or git finding its line (those decodings keep
lines); ``location`` says what was decoded.  A key the plain scan already found is not repeated.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from collections.abc import Iterator
from urllib.parse import unquote_to_bytes

from keyguard.scan.finding import Finding
from keyguard.scan.position import position
from keyguard.scan.readers._base import Chunk
from keyguard.scan.readers._base import Finish
from keyguard.scan.readers._base import Source
from keyguard.scan.readers.plain import memory

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.finding import ScanResult
    from keyguard.scan.options import ScanOptions

View = tuple[bytes, dict[str, object], "tuple[int, int] | None"]  # text, location, encoded span
_BASE64_VALUE = re.compile(
    rb"^(?P<name>[ \t\w./:-]*?(?:_auth|_password|-data))[ \t]*[=:][ \t]*"
    rb"\"?(?P<value>[A-Za-z0-9+/]{16,}={0,2})\"?[ \t]*$",
    re.MULTILINE,
)
_FISH_ESCAPE = re.compile(rb"\\x([0-9a-fA-F]{2})")


def fish(data: bytes) -> list[View]:
    decoded = _FISH_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
    return [(decoded, {"decoded": "fish \\xHH escapes"}, None)] if decoded != data else []


def url(data: bytes) -> list[View]:
    decoded = b"\n".join(unquote_to_bytes(line) for line in data.split(b"\n"))
    return [(decoded, {"decoded": "URL encoding"}, None)] if decoded != data else []


def base64_values(data: bytes) -> list[View]:
    out: list[View] = []
    for m in _BASE64_VALUE.finditer(data):
        try:
            plain = base64.b64decode(m.group("value"), validate=True)
        except (binascii.Error, ValueError):
            continue
        name = m.group("name").strip().decode("utf-8", "replace")
        out.append((plain, {"decoded": "base64", "key_path": name}, m.span("value")))
    return out


def docker(data: bytes) -> list[View]:
    try:
        auths = json.loads(data).get("auths", {})
    except (ValueError, AttributeError):
        return []
    out: list[View] = []
    for registry, entry in auths.items() if isinstance(auths, dict) else []:
        auth = entry.get("auth") if isinstance(entry, dict) else None
        if not isinstance(auth, str):
            continue
        try:
            plain = base64.b64decode(auth, validate=True)
        except (binascii.Error, ValueError):
            continue
        user, _, password = plain.partition(b":")
        text = b"registry " + registry.encode() + b" user " + user + b" password=" + password
        at = data.find(auth.encode())
        span = (at, at + len(auth)) if at >= 0 else None
        out.append(
            (text, {"decoded": "base64 auth", "json_pointer": f"/auths/{registry}/auth"}, span)
        )
    return out


class ViewReader:
    """The decoded views of a file (the kind's ``view``: ``"module:attr"`` of a function from
    the file's bytes to its views), each a chunk whose findings are placed on the encoded
    value; a key the plain scan (or an earlier view) found is dropped."""

    def __init__(self, views: Callable[[bytes], list[View]], known: set[str]) -> None:
        self.views = views
        self.known = known

    def read(
        self, source: Source, options: ScanOptions, result: ScanResult, escapes: bool
    ) -> Iterator[Chunk | Source]:
        assert source.path is not None
        try:
            with open(source.path, "rb") as stream:
                data = stream.read(8 << 20)
        except OSError:
            return  # the plain scan has reported it
        counted = (result.stats.files, result.stats.bytes)
        for view, location, span in self.views(data):
            for chunk in memory(view, source.display, options.block, result, escapes):
                yield chunk._replace(location=location, finish=self._placer(data, span))
            result.stats.files, result.stats.bytes = counted  # a view is not another file

    def _placer(self, data: bytes, span: tuple[int, int] | None) -> Finish:
        def place(found: list[Finding]) -> list[Finding]:
            placed = [_placed(f, data, span) for f in found if f.fingerprint not in self.known]
            self.known.update(f.fingerprint for f in placed)
            return placed

        return place


def _placed(f: Finding, data: bytes, span: tuple[int, int] | None) -> Finding:
    """``f`` (found in a view) placed in the file: on the encoded value, or on its line."""
    if span is None:
        line_start = 0
        for _ in range(f.line - 1):
            line_start = data.find(b"\n", line_start) + 1
        line_end = data.find(b"\n", line_start)
        span = (line_start, len(data) if line_end < 0 else line_end)
    start, end = span
    line, column = position(data, start, 1, 0)
    end_line, end_column = position(data, end, 1, 0)
    return f._replace(line=line, column=column, end_line=end_line, end_column=end_column,
                      start_offset=start, end_offset=end)  # fmt: skip
