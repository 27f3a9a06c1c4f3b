"""The one module that runs git.  Every call is argv-only (no shell) with a clear error."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from keyguard.errors import InputError

EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
ZERO = "0" * 40


def _git() -> str:
    exe = shutil.which("git")
    if exe is None:
        raise InputError("git is not installed or not on PATH; install git, or pass --all-files")
    return exe


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def run(repo: Path, *args: str, check: bool = True, stdin: bytes | None = None) -> bytes:
    proc = subprocess.run(
        [_git(), "-C", str(repo), *args], capture_output=True, env=_env(), input=stdin
    )
    if check and proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"git {args[0]} failed in {repo}: {lines[-1] if lines else '?'}")
    return proc.stdout


def toplevel(path: Path) -> Path | None:
    """The work tree root containing ``path``, or ``None`` outside a repository."""
    folder = path if path.is_dir() else path.parent
    if shutil.which("git") is None:
        return None
    proc = subprocess.run(
        [_git(), "-C", str(folder), "rev-parse", "--show-toplevel"],
        capture_output=True,
        env=_env(),
    )
    if proc.returncode != 0:
        return None
    return Path(os.fsdecode(proc.stdout.rstrip(b"\n")))


def require_repo(path: Path) -> Path:
    top = toplevel(path)
    if top is None:
        _git()
        raise InputError(f"{path} is not inside a git repository")
    return top


def tracked_and_untracked(folder: Path) -> list[str]:
    """Files git tracks under ``folder`` plus untracked ones it does not ignore."""
    out = run(
        folder,
        "ls-files",
        "-z",
        "--cached",
        "--others",
        "--exclude-standard",
        "--deduplicate",
        "--",
        ".",
    )
    return sorted(os.fsdecode(p) for p in out.split(b"\0") if p)


def has_head(repo: Path) -> bool:
    return bool(run(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).strip())


def is_shallow(repo: Path) -> bool:
    return run(repo, "rev-parse", "--is-shallow-repository").strip() == b"true"


def hooks_dir(repo: Path) -> Path:
    out = run(repo, "rev-parse", "--git-path", "hooks").decode().strip()
    path = Path(out)
    return path if path.is_absolute() else repo / path


class StagedFile(NamedTuple):
    path: str  # relative to the repository root
    blob: str


def staged(repo: Path, paths: Sequence[str] = ()) -> list[StagedFile]:
    """Files added, copied, modified or renamed in the index, with their staged blob ids.

    Works before the first commit (compared with the empty tree).  Deletions are skipped.
    ``paths`` (relative to the root) narrows the list, as pre-commit passes file names.
    """
    args = ["diff-index", "--cached", "-z", "--no-renames", "--diff-filter=ACMRT",
            "--ignore-submodules"]  # fmt: skip
    try:
        out = run(repo, *args, "HEAD", "--", *paths)
    except InputError:
        if has_head(repo):
            raise
        out = run(repo, *args, EMPTY_TREE, "--", *paths)  # before the first commit
    fields = out.split(b"\0")
    result = []
    for i in range(0, len(fields) - 1, 2):
        meta, name = fields[i], fields[i + 1]
        parts = meta.split()
        mode, blob = parts[1].decode(), parts[3].decode()
        if mode in {"160000", "120000"}:  # submodules and symbolic links hold no text to scan
            continue
        result.append(StagedFile(os.fsdecode(name), blob))
    return result


def index_entries(repo: Path, paths: Sequence[str]) -> list[StagedFile]:
    """The index's blob for each named path (what pre-commit passes), regular files only."""
    out = run(repo, "ls-files", "-s", "-z", "--", *paths)
    result = []
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, blob, _stage = meta.decode().split()
        if mode not in {"160000", "120000"}:
            result.append(StagedFile(os.fsdecode(name), blob))
    return result


class HistoryBlob(NamedTuple):
    blob: str
    commit: str  # the oldest commit in the range that introduced this blob
    author_date: str  # ISO 8601
    path: str


def history(repo: Path, revisions: Sequence[str]) -> list[HistoryBlob]:
    """Every blob a commit in ``revisions`` introduced, once, with its oldest introduction."""
    out = run(
        repo,
        "log",
        "--reverse",
        "--topo-order",
        "-m",  # merges: show what each side brought
        "--raw",
        "--no-abbrev",
        "--no-renames",
        "-z",
        "--diff-filter=AMT",
        "--format=%x00commit %H %aI",
        *revisions,
        "--",
    )
    seen: dict[str, HistoryBlob] = {}
    commit = date = ""
    fields = out.split(b"\0")
    i = 0
    while i < len(fields):
        field = fields[i].strip(b"\n")
        if field.startswith(b"commit "):
            _, sha, when = field.decode().split(" ", 2)
            commit, date = sha, when
            i += 1
        elif field.startswith(b":"):
            parts = field.split()
            mode, blob = parts[1].decode(), parts[3].decode()
            name = os.fsdecode(fields[i + 1])
            if mode not in {"160000", "120000"} and blob not in seen:
                seen[blob] = HistoryBlob(blob, commit, date, name)
            i += 2
        else:
            i += 1
    return list(seen.values())


def pushed_revisions(repo: Path, lines: Sequence[str]) -> list[str]:
    """Revision arguments for the commits a push sends, from pre-push's standard input."""
    revisions: list[str] = []
    for line in lines:
        parts = line.split()
        if len(parts) != 4:
            continue
        _local_ref, local_sha, _remote_ref, remote_sha = parts
        if local_sha == ZERO:
            continue  # a deletion pushes no content
        if remote_sha == ZERO:
            revisions += [local_sha, "--not", "--remotes"]  # a new branch: what no remote has
        else:
            revisions.append(f"{remote_sha}..{local_sha}")
    return revisions


def read_blobs(repo: Path, blobs: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """Stream blob contents through one ``git cat-file --batch`` process."""
    if not blobs:
        return
    requests = "".join(f"{b}\n" for b in blobs).encode()
    if len(requests) < PIPE_SAFE:
        # Small requests fit in the pipe buffer: write them all, then read (no deadlock).
        proc = subprocess.Popen(
            [_git(), "-C", str(repo), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        assert proc.stdin is not None
        proc.stdin.write(requests)
        proc.stdin.close()
        yield from _read_batch(proc, repo, len(blobs))
        return
    import tempfile

    with tempfile.TemporaryFile() as spool:
        spool.write(requests)
        spool.seek(0)
        proc = subprocess.Popen(
            [_git(), "-C", str(repo), "cat-file", "--batch"],
            stdin=spool,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        yield from _read_batch(proc, repo, len(blobs))


PIPE_SAFE = 16 << 10  # well under the smallest pipe buffer (64 KiB on Linux, 16 KiB on macOS)


def _read_batch(
    proc: subprocess.Popen[bytes], repo: Path, count: int
) -> Iterator[tuple[str, bytes]]:
    assert proc.stdout is not None
    try:
        for _ in range(count):
            header = proc.stdout.readline().split()
            if len(header) == 2 and header[1] == b"missing":
                continue
            if len(header) != 3:
                raise InputError(f"git cat-file: unexpected output in {repo}")
            size = int(header[2])
            data = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after each object
            yield header[0].decode(), data
    finally:
        proc.stdout.close()
        proc.wait()
