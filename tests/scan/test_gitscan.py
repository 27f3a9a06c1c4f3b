from __future__ import annotations

import random
from pathlib import Path

import pytest

from keyguard import git as gitmod
from keyguard.errors import InputError
from keyguard.scan.gitscan import scan_history
from keyguard.scan.gitscan import scan_staged
from keyguard.scan.scanner import Scanner
from keyguard.testing.tokens import PLANTS
from tests.conftest import git


def test_staged_reads_the_index_not_the_work_tree(
    scanner: Scanner, git_repo: Path, rng: random.Random
) -> None:
    text, _ = PLANTS["anthropic-api-key"](rng)
    (git_repo / "a.env").write_text(text + "\n")
    git(git_repo, "add", "a.env")  # no commits yet: compared with the empty tree
    (git_repo / "a.env").write_text("CLEAN=1\n")  # work tree clean, index holds the key
    result = scan_staged(scanner, git_repo)
    assert [(f.path, f.rule_id, f.line) for f in result.findings] == [
        ("a.env", "anthropic-api-key", 1)
    ]
    git(git_repo, "add", "a.env")  # now the index is clean, even if the work tree is not
    (git_repo / "a.env").write_text(text + "\n")
    assert scan_staged(scanner, git_repo).findings == []


def test_staged_skips_deletions_and_scans_renames(
    scanner: Scanner, git_repo: Path, rng: random.Random
) -> None:
    text, _ = PLANTS["github-token"](rng)
    (git_repo / "old.txt").write_text(text + "\n")
    (git_repo / "gone.txt").write_text(PLANTS["npm-token"](rng)[0] + "\n")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "base")
    git(git_repo, "mv", "old.txt", "new.txt")
    git(git_repo, "rm", "-q", "gone.txt")
    result = scan_staged(scanner, git_repo)
    assert [(f.path, f.rule_id) for f in result.findings] == [("new.txt", "github-token")]


def test_history_finds_keys_committed_then_removed(
    scanner: Scanner, git_repo: Path, rng: random.Random
) -> None:
    text, token = PLANTS["openai-project-key"](rng)
    for i in range(3):
        (git_repo / "notes.md").write_text(f"draft {i}\n")
        git(git_repo, "add", "-A")
        git(git_repo, "commit", "-qm", f"c{i}")
    (git_repo / "cfg.py").write_text(f"# setup\n{text}\n")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "oops")
    first = git(git_repo, "rev-parse", "HEAD").strip()
    (git_repo / "cfg.py").write_text(f"# setup\n{text}\nmore = 1\n")  # still there, new blob
    (git_repo / "copy.py").write_text(f"{text}\n")  # and copied elsewhere
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "copy")
    (git_repo / "cfg.py").unlink()
    (git_repo / "copy.py").unlink()
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "remove the key")
    result = scan_history(scanner, git_repo, ["--all"])
    (finding,) = result.findings  # one key, reported once, where it first appeared
    assert (finding.path, finding.line, finding.rule_id) == ("cfg.py", 2, "openai-project-key")
    assert finding.location["commit"] == first
    assert str(finding.location["author_date"])[:4].isdigit()
    assert token not in repr(finding)


def test_history_range_limits_the_commits(
    scanner: Scanner, git_repo: Path, rng: random.Random
) -> None:
    (git_repo / "a.txt").write_text(PLANTS["npm-token"](rng)[0] + "\n")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "key")
    base = git(git_repo, "rev-parse", "HEAD").strip()
    (git_repo / "b.txt").write_text("clean\n")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "clean")
    assert scan_history(scanner, git_repo, [f"{base}..HEAD"]).findings == []
    assert len(scan_history(scanner, git_repo, ["HEAD"]).findings) == 1


def test_shallow_clone_is_a_notice(scanner: Scanner, git_repo: Path, tmp_path: Path) -> None:
    for i in range(3):
        (git_repo / "f.txt").write_text(f"{i}\n")
        git(git_repo, "add", "-A")
        git(git_repo, "commit", "-qm", f"c{i}")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{git_repo}", str(clone))
    result = scan_history(scanner, clone, ["--all"])
    assert [e.fatal for e in result.errors] == [False]
    assert "shallow clone" in result.errors[0].message


def test_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not inside a git repository"):
        gitmod.require_repo(tmp_path)


def test_pushed_revisions() -> None:
    zero = gitmod.ZERO
    lines = [
        f"refs/heads/a {'1' * 40} refs/heads/a {'2' * 40}",
        f"refs/heads/b {'3' * 40} refs/heads/b {zero}",
        f"(delete) {zero} refs/heads/c {'4' * 40}",
    ]
    assert gitmod.pushed_revisions(Path("."), lines) == [
        f"{'2' * 40}..{'1' * 40}",
        "3" * 40,
        "--not",
        "--remotes",
    ]


@pytest.mark.parametrize("files", [3, 600])  # 600 blob ids are more than a pipe takes at once
def test_staged_many_files_before_and_after_the_first_commit(
    scanner: Scanner, git_repo: Path, rng: random.Random, files: int
) -> None:
    text, _ = PLANTS["github-token"](rng)
    for i in range(files):
        (git_repo / f"f{i}.txt").write_text(f"file {i}\n" + (text + "\n" if i == files - 1 else ""))
    git(git_repo, "add", "-A")
    found = scan_staged(scanner, git_repo)
    assert [(f.path, f.line) for f in found.findings] == [(f"f{files - 1}.txt", 2)]
    assert len(found.scanned) == files
    git(git_repo, "commit", "-qm", "first")
    (git_repo / "f0.txt").write_text(text + "\n")
    git(git_repo, "add", "f0.txt")
    again = scan_staged(scanner, git_repo)  # after the first commit: only what changed
    assert [(f.path, f.line) for f in again.findings] == [("f0.txt", 1)]
    assert again.scanned == ["f0.txt"]
