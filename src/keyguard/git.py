"""The one module that runs git.  Every call is argv-only (no shell) with a clear error.

Paths are taken as ``str`` or ``os.PathLike``; nothing here imports ``pathlib``,
``subprocess`` or ``typing`` at run time (the standalone git hook starts on every commit).
"""

from __future__ import annotations

import os

from keyguard import process
from keyguard.errors import InputError
from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from collections.abc import Sequence
    from pathlib import Path

    Repo = str | os.PathLike[str]

ZERO = "0" * 40


NOT_INSTALLED = "git is not installed or not on PATH; install git, or pass --all-files"


def _env() -> dict[str, str]:
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def _git(repo: Repo, args: Sequence[str], stdin: bytes = b"") -> tuple[int, bytes, bytes]:
    try:
        return process.run(["git", "-C", os.fspath(repo), *args], _env(), stdin)
    except FileNotFoundError:
        raise InputError(NOT_INSTALLED) from None


def run(repo: Repo, *args: str, check: bool = True, stdin: bytes | None = None) -> bytes:
    code, out, err = _git(repo, args, stdin or b"")
    if check and code != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            f"git {args[0]} failed in {os.fspath(repo)}: {lines[-1] if lines else '?'}"
        )
    return out


def toplevel(path: Repo) -> Path | None:
    """The work tree root containing ``path``, or ``None`` outside a repository (or without
    git)."""
    from pathlib import Path

    path = Path(path)
    folder = path if path.is_dir() else path.parent
    try:
        code, out, _ = _git(folder, ["rev-parse", "--show-toplevel"])
    except InputError:
        return None
    if code != 0:
        return None
    return Path(os.fsdecode(out.rstrip(b"\n")))


def require_repo(path: Repo) -> Path:
    top = toplevel(path)
    if top is None:
        _git(path, ["--version"])  # says so when git itself is missing
        raise InputError(f"{os.fspath(path)} is not inside a git repository")
    return top


def tracked_and_untracked(folder: Repo) -> list[str]:
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


def is_shallow(repo: Repo) -> bool:
    return run(repo, "rev-parse", "--is-shallow-repository").strip() == b"true"


def hooks_dir(repo: Repo) -> Path:
    from pathlib import Path

    out = run(repo, "rev-parse", "--git-path", "hooks").decode().strip()
    path = Path(out)
    return path if path.is_absolute() else Path(repo) / path


class StagedFile(Record):
    __slots__ = ("path", "blob")
    path: str  # relative to the repository root
    blob: str

    def __init__(self, path: str, blob: str) -> None:
        fill(self, locals())


def staged(repo: Repo, paths: Sequence[str] = ()) -> list[StagedFile]:
    """Files added, copied, modified or renamed in the index, with their staged blob ids.

    Works before the first commit (compared with the empty tree).  Deletions are skipped.
    ``paths`` (relative to the root) narrows the list, as pre-commit passes file names.
    """
    # `git diff --cached` (rather than `diff-index --cached HEAD`) compares with the empty tree
    # on an unborn branch by itself: one process before the first commit as after it.  The
    # options pin what user configuration could change in its raw output.
    args = ["diff", "--cached", "--raw", "-z", "--no-abbrev", "--no-renames", "--no-color",
            "--no-ext-diff", "--no-relative", "--diff-filter=ACMRT",
            "--ignore-submodules"]  # fmt: skip
    out = run(repo, *args, "--", *paths)
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


def index_entries(repo: Repo, paths: Sequence[str]) -> list[StagedFile]:
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


class HistoryBlob(Record):
    __slots__ = ("blob", "commit", "author_date", "path")
    blob: str
    commit: str  # the oldest commit in the range that introduced this blob
    author_date: str  # ISO 8601
    path: str

    def __init__(self, blob: str, commit: str, author_date: str, path: str) -> None:
        fill(self, locals())


def history(repo: Repo, revisions: Sequence[str]) -> list[HistoryBlob]:
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


def pushed_revisions(repo: Repo, lines: Sequence[str]) -> list[str]:
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


class BlobReader:
    """One ``git cat-file --batch``, started before the blob ids are known: it starts up
    while ``git diff-index`` runs, which saves the hook one process start.  ``close`` it when
    ``read_blobs`` is not called."""

    def __init__(self, repo: Repo) -> None:
        try:
            self.reader = process.Reader(_cat_file(repo), _env(), None)
        except FileNotFoundError:
            raise InputError(NOT_INSTALLED) from None

    def close(self) -> None:
        self.reader.close()


def _cat_file(repo: Repo) -> list[str]:
    return ["git", "-C", os.fspath(repo), "cat-file", "--batch"]


def read_blobs(
    repo: Repo, blobs: Sequence[str], started: BlobReader | None = None
) -> Iterator[tuple[str, bytes]]:
    """Stream blob contents through one ``git cat-file --batch`` process (``started``, when
    the request is small enough to hand it at once)."""
    requests = "".join(f"{b}\n" for b in blobs).encode()
    if started is not None and len(requests) < process.PIPE_SAFE:
        reader = started.reader
        reader.feed(requests)
    else:
        if started is not None:
            started.close()
        if not blobs:
            return
        try:
            reader = process.Reader(_cat_file(repo), _env(), requests)
        except FileNotFoundError:
            raise InputError(NOT_INSTALLED) from None
    stdout = reader.stdout
    try:
        for _ in range(len(blobs)):
            header = stdout.readline().split()
            if len(header) == 2 and header[1] == b"missing":
                continue
            if len(header) != 3:
                raise InputError(f"git cat-file: unexpected output in {os.fspath(repo)}")
            size = int(header[2])
            data = stdout.read(size)
            stdout.read(1)  # the newline after each object
            yield header[0].decode(), data
    finally:
        reader.close()
