"""Agent transcripts and other JSON lines files: Claude Code, Codex, Gemini CLI, …

One record per line: the finding's record is decoded alone, and named by its type, role and
timestamp, with the JSON pointer of the string holding the key.
"""

from __future__ import annotations

import json
from collections.abc import MutableSequence
from typing import Any

from keyguard.scan.finding import Finding
from keyguard.scan.structured import Opener
from keyguard.scan.structured import owner

_SOURCES = (("/.claude/", "Claude Code transcript"), ("/.codex/", "Codex session"),
            ("/.gemini/", "Gemini CLI chat"))  # fmt: skip


class JsonLines:
    def __init__(self, path: str) -> None:
        normalized = path.replace("\\", "/")
        self.source = next((s for marker, s in _SOURCES if marker in normalized), "JSON lines")

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        by_line: dict[int, list[int]] = {}
        for i, f in enumerate(findings):
            by_line.setdefault(f.line, []).append(i)
        last = max(by_line, default=0)
        offset = 0
        with open_() as stream:
            for number, line in enumerate(stream, 1):
                if number in by_line:
                    self._record(line, number, offset, [findings, by_line[number]])
                offset += len(line)
                if number >= last:
                    return

    def _record(self, line: bytes, number: int, offset: int, target: list[Any]) -> None:
        findings, indexes = target
        try:
            record = json.loads(line)
        except ValueError:
            record = None  # a torn last line: the line number still says where
        for i in indexes:
            f = findings[i]
            value = line[f.start_offset - offset : f.end_offset - offset]
            location = {**f.location, **_describe(record, number)}
            location.update(source=self.source, record=number)
            if record:
                location.update(owner(record, line, value, f.start_offset - offset))
            findings[i] = f._replace(location=location)


def _describe(record: Any, number: int) -> dict[str, object]:
    if not isinstance(record, dict):
        return {"where": f"record {number}"}
    message = record.get("message")
    payload = record.get("payload")
    role = ""
    if isinstance(message, dict):
        role = str(message.get("role") or "")
    elif isinstance(payload, dict):
        role = str(payload.get("role") or payload.get("type") or "")
    kind = str(record.get("type") or "")
    if record.get("toolUseResult") is not None:
        kind = "tool result"
    when = str(record.get("timestamp") or record.get("ts") or "")
    said = f"record {number}"
    said += f", {kind}" if kind else ""
    said += f" ({'you' if role == 'user' else role})" if role and role != kind else ""
    said += f", {when[:10]}" if when else ""
    location: dict[str, object] = {"where": said, "type": kind, "timestamp": when}
    session = record.get("sessionId") or record.get("session_id")
    if session:
        location["session"] = str(session)
    return location
