"""Scan what git holds: the index (what the next commit will contain) and history blobs."""

from __future__ import annotations

from keyguard import git
from keyguard.scan.finding import ScanError
from keyguard.scan.finding import ScanResult
from keyguard.scan.pipeline import scan_data

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from keyguard.git import Repo
    from keyguard.scan.batch import Progress
    from keyguard.scan.scanner import Scanner


def scan_staged(scanner: Scanner, repo: Repo, paths: Sequence[str] = ()) -> ScanResult:
    """Staged content of added and modified files, read from the index, not the work tree."""
    reader = git.BlobReader(repo)  # starts while diff-index runs
    try:
        files = git.staged(repo, paths)
    except BaseException:
        reader.close()
        raise
    return _scan_files(scanner, repo, files, reader)


def scan_index(scanner: Scanner, repo: Repo, paths: Sequence[str]) -> ScanResult:
    """The index's content of the named files (all staged changes when none are named)."""
    if not paths:
        return scan_staged(scanner, repo)
    return _scan_files(scanner, repo, git.index_entries(repo, paths))


def _scan_files(
    scanner: Scanner,
    repo: Repo,
    files: Sequence[git.StagedFile],
    reader: git.BlobReader | None = None,
) -> ScanResult:
    result = ScanResult()
    result.scanned = [item.path for item in files]
    by_blob: dict[str, list[str]] = {}
    for item in files:
        by_blob.setdefault(item.blob, []).append(item.path)
    for blob, data in git.read_blobs(repo, list(by_blob), reader):
        for path in by_blob[blob]:
            scan_data(scanner, data, path, result)
    return result


def scan_history(
    scanner: Scanner, repo: Repo, revisions: Sequence[str], progress: Progress | None = None
) -> ScanResult:
    """Every blob reachable in ``revisions``, each scanned once.

    A key committed several times (the same file edited, or copied elsewhere) is reported
    once per rule, where it first appeared: commit, author date and path.
    """
    result = ScanResult()
    if git.is_shallow(repo):
        result.errors.append(
            ScanError(
                str(repo),
                "notice: shallow clone, commits before the shallow boundary are not scanned "
                "(git fetch --unshallow to scan them)",
                fatal=False,
            )
        )
    blobs = git.history(repo, revisions or ["--all"])
    origin = {b.blob: b for b in blobs}
    scratch = ScanResult()
    for done, (blob, data) in enumerate(git.read_blobs(repo, [b.blob for b in blobs]), 1):
        where = origin[blob]
        location = {"commit": where.commit, "author_date": where.author_date, "blob": blob}
        scan_data(scanner, data, where.path, scratch, location)
        if progress is not None:
            progress(done, scratch.stats.bytes)
    seen: set[tuple[str, str]] = set()
    for finding in scratch.findings:  # blobs come oldest first
        key = (finding.rule_id, finding.fingerprint)
        if key not in seen:
            seen.add(key)
            result.findings.append(finding)
    result.stats = scratch.stats
    result.errors.extend(scratch.errors)
    return result
