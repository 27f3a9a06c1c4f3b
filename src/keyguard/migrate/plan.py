"""Plan a migration: which keys, which names, the new bytes, and the way back."""

from __future__ import annotations

import difflib
import os
import subprocess
from collections.abc import Sequence

from keyguard.errors import InputError
from keyguard.errors import RewriteRefused
from keyguard.formats.kinds import rewriter_for
from keyguard.formats.rewriters._base import Assignment
from keyguard.formats.rewriters._base import Edit
from keyguard.formats.rewriters._base import splice
from keyguard.scan.scanner import Scanner
from keyguard.vault import Vault
from keyguard.vault.names import check_name
from keyguard.vault.names import name_for_env


class Plan:
    """Everything needed to apply (and later undo) one file's migration.

    Values are held in memory only, to be stored in the vault; nothing here is written.
    """

    def __init__(self, path: str, original: bytes, new: bytes, assignments: list[Assignment],
                 values: dict[str, str], create: list[str], edits: list[Edit],
                 previews: dict[str, str]) -> None:  # fmt: skip
        self.path = path
        self.original = original
        self.new = new
        self.assignments = assignments
        self._values = values
        self.create = create  # names to store; the others already hold the same value
        self.edits = edits
        self.previews = previews

    def value(self, name: str) -> str:
        return self._values[name]

    def __repr__(self) -> str:
        return f"Plan({self.path!r}, {len(self.assignments)} keys)"

    def diff(self) -> str:
        """A unified diff with every value masked."""
        masked = self.original
        for a in sorted(self.assignments, key=lambda a: a.value_start, reverse=True):
            masked = (
                masked[: a.value_start] + self.previews[a.name].encode() + masked[a.value_end :]
            )
        before = masked.decode("utf-8", "replace").splitlines(keepends=True)
        after = self.new.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(before, after, self.path, self.path + " (migrated)"))


def make_plan(path: str, vault: Vault, scanner: Scanner, keyguard: str,
              format_hint: str | None = None) -> Plan | None:  # fmt: skip
    """The plan for ``path``, or None when it holds no key."""
    try:
        with open(path, "rb") as stream:
            original = stream.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    rewriter = rewriter_for(path, format_hint)
    rewriter.check(original)
    findings, _ = scanner.scan_bytes(original, path)
    if not findings:
        return None
    spans = [(f.start_offset, f.end_offset) for f in findings]
    found = rewriter.find(original, spans)
    previews = {}
    values: dict[str, str] = {}
    create: list[str] = []
    by_value: dict[str, str] = {}
    named = []
    for assignment, finding in zip(found, findings, strict=True):
        value = original[finding.start_offset : finding.end_offset].decode("utf-8")
        var = assignment.var.split("\0")[-1]  # codex: "server\0VAR"
        name = by_value.get(value) or _choose_name(var, value, vault, values)
        if value not in by_value:
            by_value[value] = name
            values[name] = value
            if not _holds(vault, name, value):
                create.append(name)
        previews[name] = finding.preview
        named.append(assignment._replace(name=name))
    edits = rewriter.edits(original, named, keyguard)
    new = splice(original, edits)
    _verify(path, rewriter, scanner, original, new, values)
    return Plan(path, original, new, named, values, create, edits, previews)


def _holds(vault: Vault, name: str, value: str) -> bool:
    try:
        return vault.backend.get(name) == value
    except Exception:  # noqa: BLE001 - unreadable here means: we will store it
        return False


def _choose_name(var: str, value: str, vault: Vault, taken: dict[str, str]) -> str:
    """The conventional name, or the first free alias next to it: never overwrite a
    different value already stored under a name."""
    base = name_for_env(var)
    provider, alias = base.split("/")
    for n in range(1, 100):
        name = check_name(base if n == 1 else f"{provider}/{alias}-{n}")
        current = taken.get(name)
        if current is None:
            stored = vault.backend.get(name)
            if stored is None or stored == value:
                return name
        elif current == value:
            return name
    raise RewriteRefused(f"no free name near {base} in the vault")


def _verify(
    path: str,
    rewriter: object,
    scanner: Scanner,
    original: bytes,
    new: bytes,
    values: dict[str, str],
) -> None:
    """The rewritten bytes parse, and none of the moved values is left in them."""
    rewriter.check(new)  # type: ignore[attr-defined]
    for value in values.values():
        if value.encode() in new:
            raise RewriteRefused(f"{path}: a value would remain in the file after the rewrite")
    if getattr(rewriter, "format", "") == "sh" and os.path.exists("/bin/sh"):
        proc = subprocess.run(["/bin/sh", "-n"], input=new, capture_output=True)
        if proc.returncode != 0:
            raise RewriteRefused(
                f"{path}: the rewritten file would not parse (sh -n); nothing written"
            )
    if getattr(rewriter, "format", "") == "mcp-json":
        from keyguard.formats.rewriters.mcp import same_outside

        if not same_outside(original, new):
            raise RewriteRefused(f"{path}: the rewrite would change more than the servers")
    leftovers, _ = scanner.scan_bytes(new, path)
    if any(f.rule_id != "generic-secret-assignment" for f in leftovers):
        raise RewriteRefused(f"{path}: keys would remain after the rewrite; nothing written")


def assignments_summary(plan: Plan) -> Sequence[str]:
    return [f"{a.var} → {a.name}" for a in plan.assignments]
