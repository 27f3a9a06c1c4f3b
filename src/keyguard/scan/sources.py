"""What to scan: files named on the command line, folders (git-aware), and stdin."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from collections.abc import Sequence

from keyguard.errors import InputError
from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

STDIN = "-"


class Target(Record):
    """An input: ``display`` as the user reads it, ``path`` to open (a string, cheaper than
    Path for big trees; None for stdin), ``size`` when known (-1 otherwise)."""

    __slots__ = ("display", "path", "size")
    display: str
    path: str | None
    size: int

    def __init__(self, display: str, path: str | None, size: int = -1) -> None:
        fill(self, locals())


class Enumeration:
    __slots__ = ("skipped_symlinks", "targets")

    def __init__(self) -> None:
        self.targets: list[Target] = []
        self.skipped_symlinks = 0


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
        from pathlib import Path

        path = Path(raw)
        if path.is_dir():
            _walk(path, raw, all_files, excluded, result)
        elif path.exists():
            result.targets.append(Target(raw, raw))  # named explicitly: followed even if a link
        elif path.is_symlink():
            raise InputError(f"{raw}: broken symbolic link")
        else:
            raise InputError(f"{raw}: no such file or directory")
    return result


def _walk(root: Path, shown: str, all_files: bool, excluded: Excluder, out: Enumeration) -> None:
    from keyguard import git

    top = None if all_files else git.toplevel(root)
    if top is not None:
        entries: Iterator[tuple[str, str]] = (
            (rel, _kind(root / rel)) for rel in git.tracked_and_untracked(root)
        )
    else:
        entries = _walk_all(str(root), "")
    prefix = "" if shown in {".", "./"} else shown.rstrip("/") + "/"
    base = os.path.join(str(root), "")
    for relative, kind in entries:
        if excluded(relative):
            continue
        if kind == "link":
            out.skipped_symlinks += 1  # never followed out of (or around) the tree
        elif kind == "file":
            out.targets.append(Target(prefix + relative, base + relative))
        # anything else: submodules, sockets, fifos, files deleted since git listed them


def _kind(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "gone"
    if stat.S_ISLNK(mode):
        return "link"
    return "file" if stat.S_ISREG(mode) else "other"


def _walk_all(folder: str, relative: str) -> Iterator[tuple[str, str]]:
    """Every entry below ``folder`` except .git, sorted, without following links.

    Kinds come from the directory listing itself (no stat per file), which keeps the walk
    of a large tree cheap; sizes are read when each file is opened.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = relative + entry.name
        if entry.is_dir(follow_symlinks=False):
            if entry.name != ".git":
                yield from _walk_all(entry.path, rel + "/")
            continue
        if entry.is_symlink():
            yield rel, "link"
        elif entry.is_file(follow_symlinks=False):
            yield rel, "file"
