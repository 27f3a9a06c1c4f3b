"""The non-secret records beside the vault: the manifest and the audit log.

The manifest lists names, backend, dates and keyed fingerprints, so ``list`` works on
keychains that cannot enumerate and scans can say "this leaked key is your
``anthropic/default``".  The audit log gets one JSON line per access.  Neither ever holds a
value.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

from keyguard.errors import VaultCorrupt


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Manifest:
    def __init__(self, path: str) -> None:
        self.path = path
        self.entries: dict[str, dict[str, str | None]] = {}
        try:
            with open(path, encoding="utf-8") as stream:
                document = json.load(stream)
            self.entries = dict(document["entries"])
        except FileNotFoundError:
            pass
        except (ValueError, KeyError, TypeError) as exc:
            raise VaultCorrupt(f"{path}: not a keyguard manifest ({type(exc).__name__}); "
                               "move it aside and run `keyguard doctor`") from None  # fmt: skip

    def record(self, name: str, backend: str, fingerprint: str, *, rotated: bool) -> None:
        entry = self.entries.get(name)
        stamp = now()
        if entry is None or entry.get("backend") != backend:
            self.entries[name] = {"backend": backend, "created": stamp, "rotated": None,
                                  "fingerprint": fingerprint}  # fmt: skip
        else:
            entry["fingerprint"] = fingerprint
            if rotated:
                entry["rotated"] = stamp

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)

    def save(self) -> None:
        from keyguard.atomic import write_atomic_str

        os.makedirs(os.path.dirname(self.path), mode=0o700, exist_ok=True)
        document = {"version": 1, "entries": dict(sorted(self.entries.items()))}
        write_atomic_str(self.path, (json.dumps(document, indent=2) + "\n").encode())


def audit(path: str, action: str, name: str, backend: str, outcome: str) -> None:
    """Append one line: time, action, name, backend, outcome, process.  Never a value."""
    line = json.dumps({"time": now(), "action": action, "name": name, "backend": backend,
                       "outcome": outcome, "pid": os.getpid(),
                       "process": os.path.basename(sys.argv[0]) if sys.argv else ""})  # fmt: skip
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, line.encode() + b"\n")
        finally:
            os.close(fd)
    except OSError:
        pass  # the audit log must never stop a secret from being used
