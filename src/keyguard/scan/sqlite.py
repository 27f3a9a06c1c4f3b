"""VS Code and Cursor keep chats in SQLite (``state.vscdb``): scan each stored value.

The database is opened read-only (``mode=ro``, no journal written, safe while the editor runs)
and read a row at a time; each value is scanned as text, and a finding says which table and
key holds it (``composerData:…``, ``bubbleId:…``, ``aiService.prompts``).  Keys under
``secret://`` are the editor's encrypted SecretStorage: skipped.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

from keyguard.scan.finding import ScanError
from keyguard.scan.finding import ScanResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.scanner import Scanner

TABLES = ("ItemTable", "cursorDiskKV")


def scan_sqlite(scanner: Scanner, path: str, display: str, result: ScanResult) -> None:
    try:
        db = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        result.errors.append(ScanError(display, f"cannot read: {exc}"))
        return
    files = result.stats.files
    try:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table in (t for t in TABLES if t in names):
            for key, value in db.execute(f"SELECT key, value FROM {table}"):  # noqa: S608
                if str(key).startswith("secret://") or value is None:
                    continue
                data = value if isinstance(value, bytes) else str(value).encode("utf-8", "replace")
                scanner.scan_data(data, display, result, {"table": table, "key": str(key),
                                                          "where": f"{table} {key}"})  # fmt: skip
    except sqlite3.Error as exc:
        result.errors.append(ScanError(display, f"cannot read: {exc} (is it a database?)"))
    finally:
        db.close()
    result.stats.files = files + 1  # one database, however many values
