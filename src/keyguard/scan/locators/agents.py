"""Agent and editor stores that are not transcripts: Cline tasks, VS Code chat sessions and
the copies Claude Code keeps (paste cache, file history, config backups).

* Cline (``…/saoudrizwan.claude-dev/tasks/<id>/``): ``api_conversation_history.json`` (the
  messages sent to the model) and ``ui_messages.json`` (what the panel shows), both one array;
* VS Code / Copilot chat sessions (``chatSessions/<id>.json``, or ``.jsonl``: a mutation log
  whose first record is a snapshot and whose later ones set (``kind`` 1) or splice (``kind`` 2)
  the value at key path ``k``).  Every record is scanned, so text a later record replaced is
  still found; each finding is named by the request it belongs to at that point of the log;
* Claude Code's ``paste-cache/<hash>.txt`` (text pasted into a prompt),
  ``file-history/<session>/<hash>@v<N>`` (copies of files it edited) and
  ``shell-snapshots/snapshot-*.sh`` (the user's shell setup): plain text, named by path.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import MutableSequence
from typing import Any

from keyguard.scan.finding import Finding
from keyguard.scan.locators import SHAPE_ERRORS
from keyguard.scan.locators import Opener
from keyguard.scan.locators import epoch
from keyguard.scan.locators import owner
from keyguard.scan.locators import read_whole
from keyguard.scan.locators.exports import ArrayOfConversations

LIMIT = 64 << 20  # a chat session larger than this keeps line and column only


class ClineTask(ArrayOfConversations):
    source = "Cline task"

    def __init__(self, path: str) -> None:
        parts = path.replace("\\", "/").split("/")
        self.task = parts[-2] if len(parts) > 1 else ""
        self.ui = parts[-1] == "ui_messages.json"

    def describe(self, item: Any, pointer: str, index: int) -> dict[str, object]:
        item = item if isinstance(item, dict) else {}
        if self.ui:
            said = str(item.get("say") or item.get("ask") or "")
            sender = "you" if said in ("task", "user_feedback") else "Cline"
        else:
            sender = "you" if item.get("role") == "user" else "Cline"
        when = epoch(item.get("ts"))
        started = epoch(self.task)[:10]
        where = f"Cline task {self.task}" + (f" ({started})" if started else "")
        where += f", {'panel ' if self.ui else ''}message {index + 1} ({sender})"
        return {"task": self.task, "conversation_id": self.task, "message_index": index,
                "sender": sender, "timestamp": when,
                "where": where + (f", {when[:10]}" if when else "")}  # fmt: skip


class VsCodeChat:
    source = "VS Code chat session"

    def __init__(self, path: str) -> None:
        self.session = os.path.basename(path).rsplit(".", 1)[0]
        self.log = path.endswith(".jsonl")

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        data = read_whole(open_, LIMIT)
        if data is None:
            return
        state = _Session()
        if not self.log:
            try:
                state.snapshot(json.loads(data))
            except SHAPE_ERRORS:
                return
            for i, f in enumerate(findings):
                value = data[f.start_offset : f.end_offset]
                place = owner(state.root, data, value, f.start_offset)
                findings[i] = self._named(f, state, place, place.get("json_pointer", ""))
            return
        offset = 0
        for number, line in enumerate(data.split(b"\n"), 1):
            end = offset + len(line)
            inside = [i for i, f in enumerate(findings) if offset <= f.start_offset < end]
            try:
                record = json.loads(line) if line.strip() else None
            except ValueError:
                record = None
            if isinstance(record, dict):
                with contextlib.suppress(*SHAPE_ERRORS):
                    state.apply(record)  # the session as this record leaves it names them
                for i in inside:
                    f = findings[i]
                    value = data[f.start_offset : f.end_offset]
                    place = owner(record, line, value, f.start_offset - offset)
                    path = _log_path(record, place.get("json_pointer", ""))
                    findings[i] = self._named(f, state, {**place, "record": number}, path)
            offset += len(line) + 1

    def _named(self, f: Finding, state: _Session, place: dict[str, Any], path: str) -> Finding:
        parts = path.split("/")
        where = f"chat {state.title!r}" if state.title else f"chat session {self.session}"
        location: dict[str, object] = {**f.location, **place, "source": self.source,
                                       "session": self.session,
                                       "conversation_id": self.session}  # fmt: skip
        if path and path != place.get("json_pointer"):
            location["session_json_pointer"] = path  # where the log record puts it in the session
        if len(parts) > 2 and parts[1] == "requests" and parts[2].isdigit():
            n = int(parts[2])
            asked = len(parts) > 3 and parts[3] in ("message", "variableData")
            sender = "you" if asked else "Copilot"
            when = epoch(state.stamps.get(n))
            location.update(message_index=n, sender=sender, timestamp=when)  # the request
            where += f", request {n + 1} ({sender})" + (f", {when[:10]}" if when else "")
        location["where"] = where
        if state.title:
            location["conversation_title"] = state.title
        return f._replace(location=location)


class _Session:
    """What a chat session's log has said so far: its title and when each request was made."""

    def __init__(self) -> None:
        self.root: Any = None
        self.title = ""
        self.stamps: dict[int, object] = {}

    def snapshot(self, value: Any) -> None:
        self.root = value
        if isinstance(value, dict):
            self.title = str(value.get("customTitle") or "")
            self._requests(value.get("requests"), 0)

    def _requests(self, requests: object, first: int) -> None:
        for n, request in enumerate(requests if isinstance(requests, list) else [], first):
            if isinstance(request, dict) and "timestamp" in request:
                self.stamps[n] = request["timestamp"]

    def apply(self, record: dict[str, Any]) -> None:
        kind, key, value = record.get("kind"), record.get("k"), record.get("v")
        if kind == 0:
            self.snapshot(value)
        elif kind == 1 and key == ["customTitle"]:
            self.title = str(value or "")
        elif kind == 2 and key == ["requests"]:
            start = record.get("i")
            self._requests(value, start if isinstance(start, int) else len(self.stamps))


def _log_path(record: dict[str, Any], pointer: str) -> str:
    """The session path of a pointer into a log record: ``/v/…`` under the record's key
    path ``k`` (a splice's items counted from its index ``i``)."""
    if not pointer.startswith("/v"):
        return ""
    rest = pointer[2:]
    key = record.get("k")
    prefix = "".join(f"/{k}" for k in key) if isinstance(key, list) else ""
    if record.get("kind") == 2 and isinstance(record.get("i"), int):
        head, _, tail = rest[1:].partition("/")
        if head.isdigit():
            rest = f"/{record['i'] + int(head)}" + (f"/{tail}" if tail else "")
    return prefix + rest


_CLAUDE_FILES = {
    "paste-cache": ("Claude Code paste cache", "text you pasted into Claude Code"),
    "file-history": ("Claude Code file history", "a copy of a file Claude Code edited"),
    "shell-snapshots": (
        "Claude Code shell snapshot",
        "a copy of your shell setup Claude Code took",
    ),
}


class ClaudeCodeFile:
    """A plain-text copy Claude Code keeps: what it is, from its path."""

    def __init__(self, path: str) -> None:
        parts = path.replace("\\", "/").split("/")
        folder = next(p for p in _CLAUDE_FILES if p in parts)
        self.source, self.what = _CLAUDE_FILES[folder]
        below = parts[parts.index(folder) + 1 :]
        self.details: dict[str, object] = {}
        if folder == "file-history" and len(below) >= 2:
            name, _, version = below[-1].rpartition("@v")
            self.details = {"session": below[0], "version": version}
            self.what += f" (session {below[0][:8]}, version {version})" if name else ""

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        for i, f in enumerate(findings):
            location = {**f.location, **self.details, "source": self.source, "where": self.what}
            findings[i] = f._replace(location=location)
