"""Apply a plan: store, verify, then write atomically; undo from the reverse plan.

Order: every value is stored and read back first, then the reverse plan is recorded, then the
file is replaced atomically (mode kept).  A crash at any point leaves the old file (and a
re-run completes it: the values are already in the vault under the same names) or the new file
with every key in the vault.  No plaintext backup is ever written: the reverse plan holds the
replaced text with each value as a reference to its vault name, and keyed fingerprints.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os

from keyguard import paths
from keyguard.atomic import write_atomic_str
from keyguard.errors import RewriteRefused
from keyguard.migrate.plan import Plan
from keyguard.vault import Vault


def _key() -> bytes:
    from keyguard.fingerprint import load_or_create_key

    return load_or_create_key(paths.fingerprint_key())


def _digest(data: bytes) -> str:
    return hmac.new(_key(), data, hashlib.sha256).hexdigest()


def _record_path(path: str) -> str:
    folder = os.path.join(paths.data_dir(), "migrations")
    ident = hmac.new(_key(), os.path.realpath(path).encode(), hashlib.sha256).hexdigest()[:32]
    return os.path.join(folder, ident + ".json")


def apply(plan: Plan, vault: Vault) -> None:
    with open(plan.path, "rb") as stream:
        if stream.read() != plan.original:
            raise RewriteRefused(f"{plan.path} changed since it was planned; nothing was written")
    for name in plan.create:
        vault.set(name, plan.value(name), replace=False)  # stored and read back
    for name in plan.create:
        if vault.get(name) != plan.value(name):
            raise RewriteRefused(
                f"{name}: the vault does not return what was stored; file untouched"
            )
    _record(plan)
    write_atomic_str(plan.path, plan.new, mode=os.stat(plan.path).st_mode & 0o7777)
    with open(plan.path, "rb") as stream:
        if stream.read() != plan.new:
            raise RewriteRefused(f"{plan.path}: the written file does not read back as planned")


def _record(plan: Plan) -> None:
    """The reverse plan: for each edit, where it sits in the new file and what it replaced,
    values given by name."""
    reverse = []
    shift = 0
    for edit in sorted(plan.edits, key=lambda e: (e.start, e.end)):
        new_start = edit.start + shift
        new_end = new_start + len(edit.text)
        replaced = plan.original[edit.start : edit.end]
        parts: list[object] = []
        position = 0
        for a in sorted(plan.assignments, key=lambda a: a.value_start):
            if edit.start <= a.value_start and a.value_end <= edit.end:
                parts.append(
                    replaced[position : a.value_start - edit.start].decode(
                        "utf-8", "surrogateescape"
                    )
                )
                parts.append({"name": a.name})
                position = a.value_end - edit.start
        parts.append(replaced[position:].decode("utf-8", "surrogateescape"))
        reverse.append({"start": new_start, "end": new_end, "parts": parts})
        shift += len(edit.text) - (edit.end - edit.start)
    document = {"version": 1, "path": os.path.realpath(plan.path),
                "original": _digest(plan.original), "migrated": _digest(plan.new),
                "edits": reverse}  # fmt: skip
    target = _record_path(plan.path)
    os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
    write_atomic_str(target, json.dumps(document, indent=1).encode())


def undo(path: str, vault: Vault) -> int:
    """Restore the original bytes exactly; the number of values put back."""
    record = _record_path(path)
    try:
        with open(record, encoding="utf-8") as stream:
            document = json.load(stream)
    except FileNotFoundError:
        raise RewriteRefused(f"{path}: no migration of this file to undo") from None
    with open(path, "rb") as stream:
        current = stream.read()
    if _digest(current) != document["migrated"]:
        raise RewriteRefused(
            f"{path} changed since it was migrated; undo would lose those changes (nothing written)"
        )
    restored = current
    count = 0
    for edit in sorted(document["edits"], key=lambda e: e["start"], reverse=True):
        text = b""
        for part in edit["parts"]:
            if isinstance(part, dict):
                text += vault.get(part["name"]).encode()
                count += 1
            else:
                text += part.encode("utf-8", "surrogateescape")
        restored = restored[: edit["start"]] + text + restored[edit["end"] :]
    if _digest(restored) != document["original"]:
        raise RewriteRefused(
            f"{path}: the vault's values do not rebuild the original; nothing written"
        )
    write_atomic_str(path, restored, mode=os.stat(path).st_mode & 0o7777)
    os.unlink(record)
    return count
