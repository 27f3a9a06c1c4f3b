"""JSON and JSONC config files (MCP configs, settings, tool state): the key path of a finding.

Configs are small, so the span-keeping reader migrate uses parses the whole file; each finding
gets the JSON pointer of the string holding it (``/mcpServers/github/env/GITHUB_TOKEN``).
An invalid file keeps its findings, without a path.
"""

from __future__ import annotations

from collections.abc import MutableSequence

from keyguard.scan.finding import Finding
from keyguard.scan.locators import Opener
from keyguard.scan.locators import read_whole

LIMIT = 4 << 20  # larger JSON is data, not a config: no key path
# Logins an app writes and rotates itself: reported, never migrated (the app would not find it).
MANAGED = (("/.claude/.credentials.json", "Claude Code"), ("/.codex/auth.json", "Codex"),
           ("/.gemini/oauth_creds.json", "Gemini CLI"))  # fmt: skip


class JsonConfig:
    source = "JSON config"

    def __init__(self, path: str = "") -> None:
        self.path = path

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        from keyguard.errors import KeyguardError
        from keyguard.formats.jsonspan import parse

        data = read_whole(open_, LIMIT)
        if data is None:
            return
        try:
            root, _ = parse(data)
        except (KeyguardError, ValueError, RecursionError):
            return
        normalized = self.path.replace("\\", "/")
        app = next((name for end, name in MANAGED if normalized.endswith(end)), None)
        for i, f in enumerate(findings):
            location = dict(f.location)
            pointer = _pointer(root, f.start_offset)
            if pointer:
                location["json_pointer"] = pointer
            if app:
                location["managed_by"] = app
            findings[i] = f._replace(location=location)


def _pointer(node: object, offset: int) -> str:
    parts = []
    while True:
        kind = getattr(node, "kind", "")
        if kind == "object":
            member = next((m for m in node.members if m.value.start <= offset < m.value.end), None)  # type: ignore[attr-defined]
            if member is None:
                break
            parts.append(member.key.replace("~", "~0").replace("/", "~1"))
            node = member.value
        elif kind == "array":
            index = next((i for i, n in enumerate(node.items) if n.start <= offset < n.end), None)  # type: ignore[attr-defined]
            if index is None:
                break
            parts.append(str(index))
            node = node.items[index]  # type: ignore[attr-defined]
        else:
            break
    return "".join("/" + p for p in parts)
