"""Credential files that store keys encoded: scan the decoded text too.

* fish ``fish_variables`` writes ``-`` as ``\\x2d`` (``sk\\x2dant\\x2dapi03\\x2d…``);
* ``.git-credentials`` URL-encodes the user and password (``https://u:ghp_…@github.com``);
* docker ``config.json`` keeps ``auths.<registry>.auth`` as base64 of ``user:password``;
* ``.npmrc`` ``_auth`` / ``_password`` and kube config ``*-data`` values are base64.

A finding in a decoded view is placed in the file: a base64 value's finding spans the encoded
value (its line, column and offsets), a fish or git finding its line (those decodings keep
lines); ``location`` says what was decoded.  A key the plain scan already found is not repeated.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from urllib.parse import unquote_to_bytes

from keyguard.scan.finding import Finding
from keyguard.scan.finding import ScanResult

View = tuple[bytes, dict[str, object], "tuple[int, int] | None"]  # text, location, encoded span

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.scanner import Scanner

NAMES = ("fish_variables", ".git-credentials", "config.json", ".npmrc", "config")
_BASE64_VALUE = re.compile(
    rb"^(?P<name>[ \t\w./:-]*?(?:_auth|_password|-data))[ \t]*[=:][ \t]*"
    rb"\"?(?P<value>[A-Za-z0-9+/]{16,}={0,2})\"?[ \t]*$",
    re.MULTILINE,
)
_FISH_ESCAPE = re.compile(rb"\\x([0-9a-fA-F]{2})")


def wants(path: str) -> bool:
    name = os.path.basename(path)
    return (
        name in NAMES[:2]
        or name == ".npmrc"
        or (name == "config.json" and ".docker" in path)
        or (name == "config" and ".kube" in path)
    )


def views(path: str, data: bytes) -> list[View]:
    name = os.path.basename(path)
    if name == "fish_variables":
        decoded = _FISH_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)
        return [(decoded, {"decoded": "fish \\xHH escapes"}, None)] if decoded != data else []
    if name == ".git-credentials":
        decoded = b"\n".join(unquote_to_bytes(line) for line in data.split(b"\n"))
        return [(decoded, {"decoded": "URL encoding"}, None)] if decoded != data else []
    if name in (".npmrc", "config"):
        return _base64_values(data)
    return _docker(data)


def _base64_values(data: bytes) -> list[View]:
    out: list[View] = []
    for m in _BASE64_VALUE.finditer(data):
        try:
            plain = base64.b64decode(m.group("value"), validate=True)
        except (binascii.Error, ValueError):
            continue
        name = m.group("name").strip().decode("utf-8", "replace")
        out.append((plain, {"decoded": "base64", "key_path": name}, m.span("value")))
    return out


def _docker(data: bytes) -> list[View]:
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


def scan_views(scanner: Scanner, path: str, display: str, result: ScanResult, first: int) -> None:
    try:
        with open(path, "rb") as stream:
            data = stream.read(8 << 20)
    except OSError:
        return  # the plain scan has reported it
    known = {f.fingerprint for f in result.findings[first:]}
    counted = (result.stats.files, result.stats.bytes)
    for view, location, span in views(path, data):
        start = len(result.findings)
        scanner.scan_data(view, display, result, location)
        result.stats.files, result.stats.bytes = counted  # a view is not another file
        result.findings[start:] = [
            _placed(f, data, span) for f in result.findings[start:] if f.fingerprint not in known
        ]
        known.update(f.fingerprint for f in result.findings[start:])


def _placed(f: Finding, data: bytes, span: tuple[int, int] | None) -> Finding:
    """``f`` (found in a view) placed in the file: on the encoded value, or on its line."""
    if span is None:
        line_start = 0
        for _ in range(f.line - 1):
            line_start = data.find(b"\n", line_start) + 1
        line_end = data.find(b"\n", line_start)
        span = (line_start, len(data) if line_end < 0 else line_end)
    from keyguard.scan.scanner import position

    start, end = span
    line, column = position(data, start, 1, 0)
    end_line, end_column = position(data, end, 1, 0)
    return f._replace(line=line, column=column, end_line=end_line, end_column=end_column,
                      start_offset=start, end_offset=end)  # fmt: skip
