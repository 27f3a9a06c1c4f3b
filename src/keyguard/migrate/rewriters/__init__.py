"""Rewriters, one per format, chosen by file name (and ``--format``)."""

from __future__ import annotations

import os

from keyguard.errors import RewriteRefused
from keyguard.migrate.rewriters._base import Rewriter

_SHELL_NAMES = {".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zshenv",
                ".zprofile", ".zlogin", ".kshrc", ".mkshrc", ".envrc", ".exports", ".secrets",
                ".aliases", ".functions"}  # fmt: skip
FORMATS = ("sh", "fish", "dotenv", "mcp-json", "codex-toml", "csh", "powershell")


def rewriter_for(path: str, format_hint: str | None = None) -> Rewriter:
    name = os.path.basename(path)
    kind = format_hint
    if kind is None:
        if name in _SHELL_NAMES or name.endswith((".sh", ".bash", ".zsh", ".ksh")):
            kind = "sh"
        elif name.endswith(".fish"):
            kind = "fish"
        elif name == ".env" or name.startswith(".env.") or name.endswith(".env"):
            kind = "dotenv"
        elif name in {".cshrc", ".tcshrc", ".login"} or name.endswith((".csh", ".tcsh")):
            kind = "csh"
        elif name.endswith(".ps1"):
            kind = "powershell"
        elif name == "config.toml":
            kind = "codex-toml"
        elif name.endswith(".json"):
            kind = "mcp-json"
        elif name == "fish_variables":
            raise RewriteRefused(
                "fish_variables is fish's own store: run `set -eU NAME` for each key in fish, "
                "then add `set -gx NAME (keyguard get …)` to config.fish"
            )
    if kind == "sh":
        from keyguard.migrate.rewriters.shell import ShellRewriter

        return ShellRewriter()
    if kind == "fish":
        from keyguard.migrate.rewriters.fish import FishRewriter

        return FishRewriter()
    if kind == "csh":
        from keyguard.migrate.rewriters.other_shells import CshRewriter

        return CshRewriter()
    if kind == "powershell":
        from keyguard.migrate.rewriters.other_shells import PowerShellRewriter

        return PowerShellRewriter()
    if kind == "codex-toml":
        from keyguard.migrate.rewriters.codex import CodexRewriter

        return CodexRewriter()
    if kind == "mcp-json":
        from keyguard.migrate.rewriters.mcp import McpJsonRewriter

        return McpJsonRewriter()
    if kind == "dotenv":
        from keyguard.migrate.rewriters.dotenv import DotenvRewriter

        return DotenvRewriter()
    raise RewriteRefused(
        f"{path}: not a kind of file migrate knows from its name; "
        f"pass --format {'|'.join(FORMATS)} if it is one of those"
    )


__all__ = ["FORMATS", "Rewriter", "rewriter_for"]
