"""Text output for people: findings grouped by file, one line each, then a summary."""

from __future__ import annotations

from itertools import groupby

from keyguard.scan.finding import Finding
from keyguard.scan.finding import ScanResult
from keyguard.scan.report._base import ReportContext

_COLORS = {"high": "\033[31m", "medium": "\033[33m", "low": "\033[36m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")


def _line(f: Finding, width: int, id_width: int, color: bool) -> str:
    where = f"{f.line}:{f.column}".ljust(width)
    confidence = f.confidence.ljust(6)
    if color:
        confidence = f"{_COLORS[f.confidence]}{confidence}{_RESET}"
    rule = f.rule_id.ljust(id_width)
    line = f"  {where}  {confidence}  {rule}  {f.preview}  fp {f.fingerprint[:12]}"
    commit = f.location.get("commit")
    if commit:
        line += f"  (commit {str(commit)[:10]}, {str(f.location.get('author_date', ''))[:10]})"
    place = f.location.get("where")
    pointer = f.location.get("json_pointer")
    if pointer and f.location.get("inner_json_pointer"):
        pointer = f"{pointer} → {f.location['inner_json_pointer']} (JSON inside the string)"
    if place:
        line += f"\n      in {place}"
        if f.location.get("inner_json_pointer"):
            line += f", at {pointer}"
    elif pointer:
        line += f"\n      at {pointer}"
    elif f.location.get("key_path"):
        line += f"\n      at {f.location['key_path']}"
    if f.location.get("decoded"):
        line += f"\n      written with {f.location['decoded']}; decoded to find it"
    if f.vault_name:
        when = str(f.location.get("timestamp") or "")[:10]
        said = f"this key, pasted on {when}, is still" if when else "this is"
        line += f"\n      {said} your vault secret {f.vault_name}: rotate it, then `keyguard set`"
    return line


def _migratable(path: str) -> bool:
    """A config file `keyguard migrate` rewrites (chats and transcripts only get rotated)."""
    from keyguard.formats.kinds import kind_of

    return kind_of(path).suggest_migrate


def _copies(same: list[Finding], most: int = 5) -> str:
    """Where the copies of one key in a file are: "there" when they share one named place."""
    said = [str(f.location.get("where") or f"{f.line}:{f.column}") for f in same]
    unique = list(dict.fromkeys(said))
    if len(unique) == 1 and same[0].location.get("where"):
        return f"seen {len(same)} times there"  # a message's text and its content block, say
    more = len(unique) - most
    return (
        f"seen {len(same)} times in this file: "
        + "; ".join(unique[:most])
        + (f"; and {more} more (all in --format json)" if more > 0 else "")
    )


def render(result: ScanResult, context: ReportContext) -> str:
    out: list[str] = []
    files = 0
    for path, group in groupby(result.findings, key=lambda f: f.path):
        items = list(group)
        files += 1
        out.append(f"{_BOLD}{path}{_RESET}" if context.color else path)
        width = max(len(f"{f.line}:{f.column}") for f in items)
        id_width = max(len(f.rule_id) for f in items)
        copies: dict[str, list[Finding]] = {}
        for f in items:
            copies.setdefault(f.fingerprint, []).append(f)
        for same in copies.values():  # one line per key; its other copies summed up under it
            out.append(_line(same[0], width, id_width, context.color))
            if len(same) > 1:
                out.append(f"      {_copies(same)}")
        for remediation in dict.fromkeys(f.remediation for f in items):
            if remediation.startswith("https://"):
                providers = sorted({f.provider for f in items if f.remediation == remediation})
                out.append(f"  → rotate the {'/'.join(providers)} key at {remediation}")
            else:
                out.append(f"  → {remediation}")
        for app in dict.fromkeys(str(f.location["managed_by"]) for f in items
                                 if f.location.get("managed_by")):  # fmt: skip
            out.append(f"  → {app} keeps this login itself: log out of {app} and in again "
                       "to replace it; do not move it to the vault")  # fmt: skip
        if _migratable(path) and not any("commit" in f.location for f in items):
            out.append(f"  → move the keys into the vault: keyguard migrate {path}")
        out.append("")
    spread: dict[str, set[str]] = {}
    for f in result.findings:
        spread.setdefault(f.fingerprint, set()).add(f.path)
    for fp, paths in spread.items():
        if len(paths) > 1:
            shown = ", ".join(sorted(paths)[:5]) + (", …" if len(paths) > 5 else "")
            out.append(f"the same key (fp {fp[:12]}) is in {len(paths)} files: {shown}")
    if any(len(p) > 1 for p in spread.values()):
        out.append("")
    stats = result.stats
    count = len(result.findings)
    summary = (
        f"{count} finding{'s' * (count != 1)} in {files} file{'s' * (files != 1)}"
        if count
        else "no secrets found"
    )
    details = [
        f"scanned {stats.files} file{'s' * (stats.files != 1)}",
        _size(stats.bytes),
        f"in {stats.seconds:.2f} s",
    ]
    skipped = [
        (stats.skipped_binary, "binary"),
        (stats.skipped_large, "too large"),
        (stats.skipped_symlink, "symlinks"),
        (stats.suppressed, "allowed inline"),
        (stats.baselined, "in the baseline"),
    ]
    details.extend(f"{n} {what}" for n, what in skipped if n)
    out.append(f"{summary} ({', '.join(details)})")
    if count:
        out.append(
            "A false positive? Add `keyguard: allow` in a comment on its line, "
            "or list the path under `exclude` in [tool.keyguard]."
        )
    return "\n".join(out) + "\n"
