"""``keyguard scan --home``: the places on this machine where pasted keys usually sit.

The places are the ``home`` globs of the file kinds (``keyguard.formats.kinds``); each group
names what it looks for; the scan reports, per group, which files it read and
which places do not exist here.  Paths follow the OS (``~/Library/Application Support`` on
macOS, ``$XDG_CONFIG_HOME`` or ``~/.config`` elsewhere, ``%APPDATA%`` on Windows).
"""

from __future__ import annotations

import glob
import os
import sys

from keyguard.formats.kinds import HOME_GROUPS
from keyguard.formats.kinds import KINDS
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
    """(group, glob patterns) from the ``home`` globs of ``keyguard.formats.kinds``, with
    ``~``, the app folder and the agents' folders expanded."""
    app = _app_dirs()[0]
    places = {
        "{app}": [app],
        "{claude}": [os.environ.get("CLAUDE_CONFIG_DIR") or "~/.claude"],
        "{codex}": [os.environ.get("CODEX_HOME") or "~/.codex"],
        "{code}": [
            os.path.join(app, name, "User") for name in ("Code", "Code - Insiders", "Cursor")
        ],  # fmt: skip
    }
    out = []
    for group in HOME_GROUPS:
        patterns: list[str] = []
        for kind in KINDS:
            if kind.group != group:
                continue
            for pattern in kind.home:
                token = pattern.split("/", 1)[0]
                rest = pattern[len(token) :]
                heads = places.get(token, [token])
                patterns.extend(os.path.expanduser(head + rest) for head in heads)
        out.append((group, patterns))
    return out


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
