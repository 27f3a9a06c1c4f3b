"""What to scan: files named on the command line, folders (git-aware), and stdin."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from collections.abc import Sequence
from pathlib import Path

from keyguard import git
from keyguard.errors import InputError

STDIN = "-"


@dataclasses.dataclass(frozen=True)
class Target:
    display: str  # the path as the user will read it
    path: Path | None  # None for stdin


@dataclasses.dataclass
class Enumeration:
    targets: list[Target] = dataclasses.field(default_factory=list)
    skipped_symlinks: int = 0


def glob_regex(pattern: str) -> re.Pattern[str]:
    """gitignore-flavoured glob: ``**`` spans folders, ``*`` and ``?`` stay within one."""
    out = []
    i = 0
    anchored = "/" in pattern.rstrip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    body = "".join(out).rstrip("/")
    prefix = "" if anchored else "(?:.*/)?"
    return re.compile(f"{prefix}{body.lstrip('/')}(?:/.*)?")


class Excluder:
    def __init__(self, patterns: Sequence[str]) -> None:
        self._regexes = [glob_regex(p) for p in patterns]

    def __call__(self, relative: str) -> bool:
        return any(r.fullmatch(relative) for r in self._regexes)


def enumerate_targets(
    paths: Sequence[str], *, all_files: bool = False, exclude: Sequence[str] = ()
) -> Enumeration:
    """Expand command-line paths into files; a missing path is a usage error."""
    result = Enumeration()
    excluded = Excluder(exclude)
    for raw in paths:
        if raw == STDIN:
            result.targets.append(Target("-", None))
            continue
        path = Path(raw)
        if path.is_dir():
            _walk(path, raw, all_files, excluded, result)
        elif path.exists():
            result.targets.append(Target(raw, path))  # named explicitly: followed even if a link
        elif path.is_symlink():
            raise InputError(f"{raw}: broken symbolic link")
        else:
            raise InputError(f"{raw}: no such file or directory")
    return result


def _walk(root: Path, shown: str, all_files: bool, excluded: Excluder, out: Enumeration) -> None:
    top = None if all_files else git.toplevel(root)
    if top is not None:
        files: Iterator[Path] = iter(sorted(git.tracked_and_untracked(root)))
    else:
        files = _walk_all(root)
    for file in files:
        relative = file.relative_to(root).as_posix()
        if excluded(relative):
            continue
        if file.is_symlink():
            out.skipped_symlinks += 1  # never followed out of (or around) the tree
            continue
        if not file.is_file():
            continue  # submodules, sockets, files deleted since git listed them
        display = relative if shown in {".", "./"} else os.path.join(shown, relative)
        out.targets.append(Target(display, file))


def _walk_all(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        base = Path(folder)
        for name in sorted(files):
            yield base / name
        for name in dirs:
            if (base / name).is_symlink():
                yield base / name
