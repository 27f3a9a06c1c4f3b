"""Agent transcripts and other JSON lines files: Claude Code, Codex, Gemini CLI, …

One record per line: the finding's record is decoded alone, and named by its type, role and
timestamp, with the JSON pointer of the string holding the key.  Older Codex
(``rollout-*.json``: ``{session, items}``) and Gemini CLI (``session-*.json``:
``{sessionId, messages}``) sessions are one JSON document, named by item or message.
"""

from __future__ import annotations

import json
from collections.abc import MutableSequence
from typing import Any

from keyguard.scan.finding import Finding
from keyguard.scan.locators import Opener
from keyguard.scan.locators import epoch
from keyguard.scan.locators import owner
from keyguard.scan.locators import read_whole
from keyguard.scan.locators import tolerant

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
            location = {**f.location, **tolerant(_describe, record, number)}
            location.update(source=self.source, record=number)
            if record:
                location.update(owner(record, line, value, f.start_offset - offset))
            findings[i] = f._replace(location=location)


LIMIT = 64 << 20  # an older single-document session larger than this keeps line and column


class SessionDocument:
    """An older Codex or Gemini CLI session: one JSON object whose ``items`` or ``messages``
    are what the JSON lines format writes one per line."""

    def __init__(self, path: str) -> None:
        self.source = JsonLines(path).source

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        data = read_whole(open_, LIMIT)
        if data is None:
            return
        try:
            document = json.loads(data)
        except ValueError:
            return
        for i, f in enumerate(findings):
            place = owner(document, data, data[f.start_offset : f.end_offset], f.start_offset)
            location = {**f.location, **place, "source": self.source}
            parts = place.get("json_pointer", "").split("/")
            if len(parts) > 2 and parts[1] in ("items", "messages") and parts[2].isdigit():
                entry = tolerant(_entry, document, parts[1], int(parts[2]))
                location.update(entry)
            findings[i] = f._replace(location=location)


def _entry(document: dict[str, Any], kind: str, index: int) -> dict[str, object]:
    record = document[kind][index]
    what, who = _what({"payload": record} if kind == "items" else record)
    what = "" if what == kind[:-1] else what  # "message 1 (you)", not "message 1, message"
    said = f"{kind[:-1]} {index + 1}" + (f", {what}" if what else "") + (f" ({who})" if who else "")
    when = epoch(record.get("timestamp") or "")
    return {
        "where": said + (f", {when[:10]}" if when else ""),
        "timestamp": when,
        "message_index": index,
    }


def _describe(record: Any, number: int) -> dict[str, object]:
    if not isinstance(record, dict):
        return {"where": f"record {number}"}
    what, who = _what(record)
    when = epoch(record.get("timestamp") or record.get("ts") or "")  # seconds or milliseconds
    said = f"record {number}" + (f", {what}" if what else "") + (f" ({who})" if who else "")
    said += f", {when[:10]}" if when else ""
    location: dict[str, object] = {"where": said, "type": str(record.get("type") or ""),
                                   "timestamp": when}  # fmt: skip
    session = record.get("sessionId") or record.get("session_id")
    if session:
        location["session"] = str(session)
    return location


_SENDERS = {"user": "you", "assistant": "", "gemini": "Gemini", "model": "Gemini"}


def _what(record: dict[str, Any]) -> tuple[str, str]:
    """What a record is and who wrote it, for Claude Code, Codex and Gemini CLI lines."""
    kind = str(record.get("type") or "")
    message, payload = record.get("message"), record.get("payload")
    if "display" in record or ("text" in record and "session_id" in record):
        return "prompt history", "you"  # Claude Code's and Codex's history.jsonl
    if isinstance(message, dict):  # Claude Code
        content = message.get("content")
        blocks = [b.get("type") for b in content if isinstance(b, dict)] \
            if isinstance(content, list) else []  # fmt: skip
        if record.get("toolUseResult") is not None or "tool_result" in blocks:
            return "tool result", "you" if kind == "user" else ""
        if "tool_use" in blocks:
            return "tool call", "Claude"
        role = str(message.get("role") or kind)
        return ("prompt", "you") if role == "user" else ("message", "Claude" if role else "")
    if isinstance(payload, dict):  # Codex
        inner = str(payload.get("type") or "")
        if inner == "message":
            role = str(payload.get("role") or "")
            return "message", {"user": "you", "assistant": "Codex"}.get(role, role)
        if inner in ("function_call", "custom_tool_call", "local_shell_call"):
            return f"tool call {payload.get('name') or ''}".rstrip(), "Codex"
        if inner.endswith("_output"):
            return "tool output", ""
        return f"{kind} {inner}".strip(), ""
    if kind in ("user", "gemini"):  # Gemini CLI
        if kind == "gemini" and record.get("toolCalls"):
            return "tool call", "Gemini"
        return "message", _SENDERS[kind]
    return kind, ""
