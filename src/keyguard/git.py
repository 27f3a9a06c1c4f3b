"""The one module that runs git.  Every call is argv-only (no shell) with a clear error."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from keyguard.errors import InputError


def _git() -> str:
    exe = shutil.which("git")
    if exe is None:
        raise InputError("git is not installed or not on PATH; install git, or pass --all-files")
    return exe


def toplevel(path: Path) -> Path | None:
    """The work tree root containing ``path``, or ``None`` outside a repository."""
    folder = path if path.is_dir() else path.parent
    if shutil.which("git") is None:
        return None
    proc = subprocess.run(
        [_git(), "-C", str(folder), "rev-parse", "--show-toplevel"],
        capture_output=True,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
    )
    if proc.returncode != 0:
        return None
    return Path(os.fsdecode(proc.stdout.rstrip(b"\n")))


def tracked_and_untracked(folder: Path) -> list[str]:
    """Files git tracks under ``folder`` plus untracked ones it does not ignore."""
    proc = subprocess.run(
        [
            _git(),
            "-C",
            str(folder),
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
            "--deduplicate",
            "--",
            ".",
        ],
        capture_output=True,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
    )
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git ls-files failed in {folder}: {message[-1] if message else '?'}")
    return sorted(os.fsdecode(p) for p in proc.stdout.split(b"\0") if p)
