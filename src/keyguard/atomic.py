"""Atomic file writes: temp file in the same folder, fsync, ``os.replace``, fsync the folder."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``data``; keeps the old file's mode (unless ``mode`` is given) and
    owner. A symlink stays a symlink: the file it points to is the one replaced (dotfiles
    managers link ``~/.zshrc`` into a repository)."""
    path = Path(os.path.realpath(path))
    folder = path.parent
    try:
        old: os.stat_result | None = path.stat()
    except FileNotFoundError:
        old = None
    if mode is None:
        mode = old.st_mode & 0o7777 if old is not None else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if old is not None and hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):  # only root can give a file away
                os.chown(tmp, old.st_uid, old.st_gid)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(folder)


def write_atomic_str(path: str, data: bytes, mode: int = 0o600) -> None:
    """Atomically replace ``path`` (a string path) with ``data`` at ``mode``; a private file
    is never visible with wider permissions, even for an instant."""
    write_atomic(Path(path), data, mode)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
