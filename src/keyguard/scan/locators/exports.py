"""Claude.ai and ChatGPT data exports: ``conversations.json``, one array of conversations."""

from __future__ import annotations

from collections.abc import MutableSequence
from typing import Any

from keyguard.scan.finding import Finding
from keyguard.scan.locators import Opener
from keyguard.scan.locators import epoch
from keyguard.scan.locators import owner
from keyguard.scan.locators import tolerant
from keyguard.scan.locators.jsonitems import items


class ArrayOfConversations:
    """A file that is one JSON array, one conversation (or message, or project) per element,
    streamed an element at a time; subclasses say where a pointer inside an element is."""

    source = ""

    def __init__(self, path: str = "") -> None:
        self.path = path

    def annotate(self, open_: Opener, findings: MutableSequence[Finding], base: int = 0) -> None:
        """``base``: where the array starts in the file (inside an HTML page, say)."""
        pending = sorted(range(len(findings)), key=lambda i: findings[i].start_offset)
        with open_() as stream, open_() as raw_stream:
            stream.seek(base)
            for index, (item, start, end) in enumerate(items(stream)):
                start, end = start + base, end + base
                inside = [i for i in pending if start <= findings[i].start_offset < end]
                if not inside:
                    continue
                raw_stream.seek(start)  # an archive member seeks forward by reading
                raw = raw_stream.read(end - start)
                for i in inside:
                    f = findings[i]
                    value = raw[f.start_offset - start : f.end_offset - start]
                    place = owner(item, raw, value, f.start_offset - start)
                    pointer = place.get("json_pointer", "")
                    said = tolerant(self.describe, item, pointer, index)
                    location = {**f.location, **said, **place}
                    location["source"] = self.source
                    location["json_pointer"] = f"/{index}{pointer}"
                    findings[i] = f._replace(location=location)
                pending = [i for i in pending if findings[i].start_offset >= end]
        # read to the end even when every finding is placed: a break later is still reported

    def describe(self, item: Any, pointer: str, index: int) -> dict[str, object]:
        """Where ``pointer`` (inside ``item``, the array's ``index``-th) is, said for people."""
        raise NotImplementedError


def _where(title: str, message: int | None, sender: str, when: str) -> str:
    said = f"conversation {title!r}"
    if message is not None:
        said += f", message {message} ({sender})" if sender else f", message {message}"
    return said + (f", {when[:10]}" if when else "")


class ClaudeExport(ArrayOfConversations):
    source = "claude.ai export"

    def describe(self, item: Any, pointer: str, index: int) -> dict[str, object]:
        item = item if isinstance(item, dict) else {}
        title = str(item.get("name") or "untitled")
        location: dict[str, object] = {"conversation_title": title,
                                       "conversation_id": str(item.get("uuid", ""))}  # fmt: skip
        parts = pointer.split("/")
        sender = ""
        number = None
        when = str(item.get("created_at") or "")
        if len(parts) > 2 and parts[1] == "chat_messages" and parts[2].isdigit():
            number = int(parts[2]) + 1
            entry = item["chat_messages"][number - 1]
            sender = {"human": "you", "assistant": "Claude"}.get(str(entry.get("sender")), "")
            when = str(entry.get("created_at") or "")
            location.update(message_index=number - 1, message_id=str(entry.get("uuid") or ""),
                            sender=sender, timestamp=when)  # fmt: skip
        location["where"] = _where(title, number, sender, when)
        return location


class ChatGptExport(ArrayOfConversations):
    source = "chatgpt export"

    def describe(self, item: Any, pointer: str, index: int) -> dict[str, object]:
        item = item if isinstance(item, dict) else {}
        title = str(item.get("title") or "untitled")
        location: dict[str, object] = {"conversation_title": title,
                                       "conversation_id": str(item.get("id", ""))}  # fmt: skip
        parts = pointer.split("/")
        number = None
        sender = when = ""
        if len(parts) > 2 and parts[1] == "mapping":
            node_id = parts[2].replace("~1", "/").replace("~0", "~")
            node = item["mapping"].get(node_id) or {}
            message = node.get("message") or {}
            role = (message.get("author") or {}).get("role", "")
            sender = {"user": "you", "assistant": "ChatGPT"}.get(role, role)
            number = _depth(item["mapping"], node_id)
            when = epoch(message.get("create_time"))
            location.update(message_index=list(item["mapping"]).index(node_id), node=node_id,
                            message_id=str(message.get("id") or node_id), sender=sender,
                            timestamp=when)  # fmt: skip
        location["where"] = _where(title, number, sender, when)
        return location


def _depth(mapping: dict[str, Any], node_id: str) -> int:
    """A message's number: its position on the path from the root (branches share numbers,
    as in the app, where an edited message replaces the one it edits)."""
    depth = 0
    seen = set()
    current: str | None = node_id
    while current is not None and current not in seen:
        seen.add(current)
        node = mapping.get(current) or {}
        if (node.get("message") or {}).get("author", {}).get("role") in ("user", "assistant"):
            depth += 1
        current = node.get("parent")
    return depth


class ClaudeProjects(ArrayOfConversations):
    """``projects.json``: project knowledge documents and instructions."""

    source = "claude.ai export"

    def describe(self, item: Any, pointer: str, index: int) -> dict[str, object]:
        item = item if isinstance(item, dict) else {}
        title = str(item.get("name") or "untitled")
        location: dict[str, object] = {"project": title, "project_id": str(item.get("uuid", ""))}
        parts = pointer.split("/")
        if len(parts) > 2 and parts[1] == "docs" and parts[2].isdigit():
            doc = item["docs"][int(parts[2])]
            name = str(doc.get("filename") or doc.get("file_name") or f"document {parts[2]}")
            location.update(document=name)
            location["where"] = f"project {title!r}, document {name!r}"
        elif len(parts) > 1 and parts[1] == "prompt_template":
            location["where"] = f"project {title!r}, its instructions"
        else:
            location["where"] = f"project {title!r}"
        return location


class ChatGptHtml(ChatGptExport):
    """``chat.html``: the same conversations, embedded as ``var jsonData = [...]``."""

    source = "chatgpt export (chat.html)"
    MARKER = b"jsonData = "

    def annotate(self, open_: Opener, findings: MutableSequence[Finding], base: int = 0) -> None:
        with open_() as stream:
            offset, tail = 0, b""
            while True:
                block = stream.read(1 << 20)
                if not block:
                    return  # no embedded data: nothing to name
                at = (tail + block).find(self.MARKER)
                if at >= 0:
                    super().annotate(open_, findings, offset - len(tail) + at + len(self.MARKER))
                    return
                offset += len(block)
                tail = (tail + block)[-len(self.MARKER) :]
