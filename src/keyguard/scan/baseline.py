"""The baseline: known findings that a scan should not report again.

``.keyguard-baseline.json`` holds a version, a random salt and one entry per known finding:
path, rule id and a salted SHA-256 fingerprint of the value.  No line numbers, no
timestamps; entries are sorted and each stands on its own line ending in a comma, closed by
a fixed end marker, so adding an entry changes no other line and two branches that add
findings merge cleanly (``merge=union`` in .gitattributes covers additions at the same spot).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from keyguard.errors import InputError
from keyguard.scan.finding import Finding

FILENAME = ".keyguard-baseline.json"
VERSION = 1
END = {"end": "keep this line last: every entry above ends with a comma"}

Entry = tuple[str, str, str]  # (path, rule id, salted fingerprint)


class Baseline(NamedTuple):
    salt: bytes
    entries: frozenset[Entry] = frozenset()

    def __repr__(self) -> str:  # the salt stays out of reprs
        return f"Baseline({len(self.entries)} entries)"

    @classmethod
    def new(cls) -> Baseline:
        return cls(secrets.token_bytes(16))

    def with_findings(self, findings: Iterable[Finding]) -> Baseline:
        return self._replace(entries=frozenset(_entry(f) for f in findings))

    def new_findings(self, findings: Sequence[Finding]) -> tuple[list[Finding], int]:
        """Findings not in the baseline, and how many were."""
        fresh = [f for f in findings if _entry(f) not in self.entries]
        return fresh, len(findings) - len(fresh)

    def prune(self, findings: Sequence[Finding], scanned: Iterable[str]) -> Baseline:
        """Drop entries of fully scanned paths whose finding is gone (the key was removed)."""
        paths = set(scanned)
        present = {_entry(f) for f in findings}
        kept = frozenset(e for e in self.entries if e[0] not in paths or e in present)
        return self._replace(entries=kept)

    def dumps(self) -> str:
        lines = [
            "{",
            f'  "version": {VERSION},',
            f'  "salt": "{self.salt.hex()}",',
            '  "entries": [',
        ]
        for path, rule_id, fp in sorted(self.entries):
            entry = {"path": path, "rule_id": rule_id, "fingerprint": fp}
            lines.append(f"    {json.dumps(entry, ensure_ascii=False)},")
        lines += [f"    {json.dumps(END)}", "  ]", "}"]
        return "\n".join(lines) + "\n"


def _entry(f: Finding) -> Entry:
    if not f.baseline_fingerprint:
        raise AssertionError("scan without a baseline salt")  # a programming error
    return (f.path, f.rule_id, f.baseline_fingerprint)


def load(path: Path) -> Baseline:
    """Read a baseline; duplicates and unsorted lines (a union merge) are fine."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the baseline: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a keyguard baseline (invalid JSON: {exc})") from None
    try:
        if document["version"] != VERSION:
            raise InputError(f"{path}: baseline version {document['version']} is not supported")
        salt = bytes.fromhex(document["salt"])
        entries = frozenset(
            (e["path"], e["rule_id"], e["fingerprint"]) for e in document["entries"] if "path" in e
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"{path}: not a keyguard baseline ({exc!r} is missing or invalid)"
        ) from None
    return Baseline(salt, entries)


def load_salt(path: Path) -> bytes | None:
    return load(path).salt if path.is_file() else None
