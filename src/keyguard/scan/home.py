"""``keyguard scan --home``: the places on this machine where pasted keys usually sit.

Each group names what it looks for; the scan reports, per group, which files it read and
which places do not exist here.  Paths follow the OS (``~/Library/Application Support`` on
macOS, ``$XDG_CONFIG_HOME`` or ``~/.config`` elsewhere, ``%APPDATA%`` on Windows).
"""

from __future__ import annotations

import glob
import os
import sys

from keyguard.scan.sources import Target

MAX_TRANSCRIPTS = 100_000  # files per group, a bound on a runaway tree


def _app_dirs() -> list[str]:
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return [os.path.join(home, "Library", "Application Support")]
    if sys.platform == "win32":
        return [os.environ.get("APPDATA", os.path.join(home, "AppData", "Roaming"))]
    return [os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")]


def groups() -> list[tuple[str, list[str]]]:
    """(group, glob patterns); ``~`` and the app folder expanded."""
    app = _app_dirs()[0]
    claude = os.environ.get("CLAUDE_CONFIG_DIR") or "~/.claude"
    codex = os.environ.get("CODEX_HOME") or "~/.codex"
    code_user = [os.path.join(app, name, "User") for name in ("Code", "Code - Insiders", "Cursor")]
    table = [
        ("shell rc files", ["~/.bashrc", "~/.bash_profile", "~/.profile", "~/.zshrc", "~/.zshenv",
                            "~/.zprofile", "~/.kshrc", "~/.cshrc", "~/.tcshrc",
                            "~/.config/fish/config.fish", "~/.config/fish/conf.d/*.fish",
                            "~/.config/fish/fish_variables", "~/.secrets", "~/.env"]),
        ("MCP configs", [os.path.join(app, "Claude", "claude_desktop_config.json"),
                         "~/.claude.json", "~/.cursor/mcp.json",
                         "~/.codeium/windsurf/mcp_config.json", "~/.gemini/settings.json",
                         "~/.config/zed/settings.json", f"{codex}/config.toml",
                         *(os.path.join(u, "mcp.json") for u in code_user),
                         *(os.path.join(u, "globalStorage", "saoudrizwan.claude-dev", "settings",
                                        "cline_mcp_settings.json") for u in code_user),
                         f"{claude}/backups/.claude.json.*", "~/.claude.json.backup*"]),
        ("credential files", ["~/.npmrc", "~/.pypirc", "~/.aws/credentials", "~/.git-credentials",
                              "~/.docker/config.json", "~/.kube/config", "~/.netrc",
                              f"{claude}/.credentials.json", f"{codex}/auth.json",
                              "~/.gemini/.env"]),
        ("agent transcripts", [f"{claude}/projects/**/*.jsonl", f"{claude}/history.jsonl",
                               f"{claude}/paste-cache/*", f"{claude}/file-history/**/*",
                               f"{claude}/shell-snapshots/*",
                               f"{codex}/sessions/**/*.json*", f"{codex}/archived_sessions/**/*",
                               f"{codex}/history.jsonl", "~/.gemini/tmp/**/*.json*",
                               "~/.gemini/data/**/*.json*"]),
        ("editor chats", [*(os.path.join(u, "globalStorage", "state.vscdb") for u in code_user),
                          *(os.path.join(u, "workspaceStorage", "*", "state.vscdb")
                            for u in code_user),
                          *(os.path.join(u, "workspaceStorage", "*", "chatSessions", "*.json*")
                            for u in code_user),
                          *(os.path.join(u, "globalStorage", "emptyWindowChatSessions", "*.json*")
                            for u in code_user),
                          *(os.path.join(u, "globalStorage", "saoudrizwan.claude-dev", "tasks",
                                         "*", "*.json") for u in code_user)]),
    ]  # fmt: skip
    return [(name, [os.path.expanduser(p) for p in patterns]) for name, patterns in table]


def home_targets() -> list[tuple[str, list[Target], list[str]]]:
    """Per group: the files found (as targets, shown with ``~``) and the places not found."""
    home = os.path.expanduser("~")
    out = []
    for name, patterns in groups():
        targets: list[Target] = []
        missing = []
        for pattern in patterns:
            hits = sorted(glob.glob(pattern, recursive=True))[:MAX_TRANSCRIPTS]
            files = [h for h in hits if os.path.isfile(h) and not os.path.islink(h)]
            if not files:
                missing.append(_tilde(pattern, home))
            targets.extend(Target(_tilde(f, home), f, os.path.getsize(f)) for f in files)
        out.append((name, targets, missing))
    return out


def _tilde(path: str, home: str) -> str:
    return "~" + path[len(home) :] if path.startswith(home + os.sep) else path
