from __future__ import annotations

import os
from pathlib import Path

import pytest

from keyguard.errors import InputError
from keyguard.scan.sources import enumerate_targets
from keyguard.scan.sources import glob_regex
from tests.conftest import git


def _displays(paths: list[str], **kwargs: object) -> list[str]:
    return [t.display for t in enumerate_targets(paths, **kwargs).targets]  # type: ignore[arg-type]


def test_in_a_repo_tracked_and_untracked_not_ignored(
    git_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (git_repo / ".gitignore").write_text("ignored.env\nbuild/\n")
    (git_repo / "tracked.py").write_text("x = 1\n")
    (git_repo / "new.txt").write_text("y\n")
    (git_repo / "ignored.env").write_text("z\n")
    (git_repo / "build").mkdir()
    (git_repo / "build" / "out.txt").write_text("z\n")
    git(git_repo, "add", "tracked.py", ".gitignore")
    monkeypatch.chdir(git_repo)
    assert _displays(["."]) == [".gitignore", "new.txt", "tracked.py"]
    assert _displays(["."], all_files=True) == [
        ".gitignore",
        "build/out.txt",
        "ignored.env",
        "new.txt",
        "tracked.py",
    ]


def test_outside_a_repo_everything_but_dot_git(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b.txt").write_text("1")
    (tmp_path / "c.txt").write_text("2")
    assert _displays([str(tmp_path)]) == [f"{tmp_path}/a/b.txt", f"{tmp_path}/c.txt"]


def test_symlinks_are_not_followed_and_loops_do_not_hang(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.env").write_text("x")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "real.txt").write_text("x")
    os.symlink(outside, tree / "link-dir")
    os.symlink(outside / "secret.env", tree / "link-file")
    os.symlink(tree, tree / "loop")
    found = enumerate_targets([str(tree)])
    assert [t.display for t in found.targets] == [f"{tree}/real.txt"]
    assert found.skipped_symlinks == 3


def test_excludes(tmp_path: Path) -> None:
    for name in ("keep.py", "vendor/lib.js", "deep/x/fixtures/a.json", "notes.lock"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    got = _displays([str(tmp_path)], exclude=["vendor/", "**/fixtures/**", "*.lock"])
    assert got == [f"{tmp_path}/keep.py"]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.env", "a/b/.prod.env", True),
        ("docs/*.md", "docs/a.md", True),
        ("docs/*.md", "x/docs/a.md", False),
        ("**/test_*", "a/b/test_x.py", True),
        ("build", "build/x/y", True),
        ("*.py", "a.pyc", False),
    ],
)
def test_glob_semantics(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(pattern).fullmatch(path)) is matches


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        enumerate_targets([str(tmp_path / "nope")])
