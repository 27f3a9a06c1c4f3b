"""VS Code and Cursor keep chats in SQLite (``state.vscdb``): scan each stored value.

The database is opened read-only (``mode=ro``, no journal written, safe while the editor runs)
and read a row at a time; each value is scanned as text, and a finding says which table and
key holds it (``composerData:…``, ``bubbleId:…``, ``aiService.prompts``).  Keys under
``secret://`` are the editor's encrypted SecretStorage: skipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from urllib.parse import quote

from keyguard.scan.finding import Finding
from keyguard.scan.finding import ScanError
from keyguard.scan.readers._base import Chunk
from keyguard.scan.readers._base import Finish
from keyguard.scan.readers._base import Source
from keyguard.scan.readers.plain import memory

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.finding import ScanResult
    from keyguard.scan.options import ScanOptions

TABLES = ("ItemTable", "cursorDiskKV")


class SqliteReader:
    def read(
        self, source: Source, options: ScanOptions, result: ScanResult, escapes: bool
    ) -> Iterator[Chunk | Source]:
        assert source.path is not None
        display = source.display
        try:
            db = sqlite3.connect(f"file:{quote(source.path)}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            result.errors.append(ScanError(display, f"cannot read: {exc}"))
            return
        files = result.stats.files
        try:
            names = {
                row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            for table in (t for t in TABLES if t in names):
                for key, value in db.execute(f"SELECT key, value FROM {table}"):  # noqa: S608
                    if str(key).startswith("secret://") or value is None:
                        continue
                    data = (
                        value if isinstance(value, bytes) else str(value).encode("utf-8", "replace")
                    )
                    location = {"table": table, "row_key": str(key), "where": f"{table} {key}"}
                    for chunk in memory(data, display, options.block, result, escapes):
                        yield chunk._replace(location=location,
                                             finish=_namer(db, table, str(key), data))  # fmt: skip
        except sqlite3.Error as exc:
            result.errors.append(ScanError(display, f"cannot read: {exc} (is it a database?)"))
        finally:
            db.close()
        result.stats.files = files + 1  # one database, however many values


def _namer(db: sqlite3.Connection, table: str, key: str, data: bytes) -> Finish:
    def name(found: list[Finding]) -> list[Finding]:
        if found:
            _name(db, table, key, data, found, 0)
        return found

    return name


def _name(db: sqlite3.Connection, table: str, key: str, data: bytes,
          findings: list[Finding], first: int) -> None:  # fmt: skip
    """A JSON value's findings get their pointer, and Cursor's chats their title and sender."""
    import json

    from keyguard.scan.locators import SHAPE_ERRORS  # a location names the chat's message
    from keyguard.scan.locators import owner

    try:
        parsed = json.loads(data)
    except ValueError:
        return
    for i in range(first, len(findings)):
        f = findings[i]
        place = owner(parsed, data, data[f.start_offset : f.end_offset], f.start_offset)
        try:
            said = _describe(db, table, key, parsed, place.get("json_pointer", ""))
        except SHAPE_ERRORS:
            said = {"where": f"{table} {key}"}
        findings[i] = f._replace(location={**f.location, **place, **said})


def _describe(
    db: sqlite3.Connection, table: str, key: str, value: object, pointer: str
) -> dict[str, object]:
    parts = pointer.split("/")
    if key.startswith("bubbleId:") and key.count(":") == 2 and isinstance(value, dict):
        _, composer, bubble = key.split(":")
        sender = {1: "you", 2: "Cursor"}.get(value.get("type"), "")  # type: ignore[arg-type]
        title, number = _composer(db, composer, bubble)
        said = f"Cursor chat {title!r}" if title else f"Cursor chat {composer[:8]}"
        said += f", message {number}" if number else ", a message"
        found: dict[str, object] = {"where": said + (f" ({sender})" if sender else ""),
                                    "conversation_id": composer, "message_id": bubble,
                                    "sender": sender}  # fmt: skip
        if title:
            found["conversation_title"] = title
        if number:
            found["message_index"] = number - 1
        return found
    if key.startswith("composerData:") and isinstance(value, dict):
        title = str(value.get("name") or "")
        said = f"Cursor chat {title!r}" if title else f"Cursor chat {key[13:21]}"
        found = {"conversation_id": key[13:]}
        if title:
            found["conversation_title"] = title
        if len(parts) > 2 and parts[1] == "conversation" and parts[2].isdigit():
            said += f", message {int(parts[2]) + 1}"
            found["message_index"] = int(parts[2])
        return {**found, "where": said}
    if key == "aiService.prompts" and len(parts) > 1 and parts[1].isdigit():
        return {"where": f"Cursor prompt history, prompt {int(parts[1]) + 1}",
                "message_index": int(parts[1]), "sender": "you"}  # fmt: skip
    return {"where": f"{table} {key}" + (f" at {pointer}" if pointer else "")}


def _composer(db: sqlite3.Connection, composer: str, bubble: str) -> tuple[str, int]:
    """The chat's title and the bubble's place in it, from ``composerData:<id>``."""
    import json

    try:
        row = db.execute("SELECT value FROM cursorDiskKV WHERE key = ?",
                         (f"composerData:{composer}",)).fetchone()  # fmt: skip
        data = json.loads(row[0]) if row else {}
    except (sqlite3.Error, ValueError):
        return "", 0
    if not isinstance(data, dict):
        return "", 0
    headers = data.get("fullConversationHeadersOnly") or []
    ids = [h.get("bubbleId") for h in headers if isinstance(h, dict)]
    number = ids.index(bubble) + 1 if bubble in ids else 0
    return str(data.get("name") or ""), number
