"""keyguard's .pre-commit-hooks.yaml driven by the real pre-commit tool."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from keyguard.testing.tokens import PLANTS
from tests.conftest import REPO
from tests.conftest import git


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """This working tree as a one-commit repository (uncommitted changes included), and a
    pre-commit cache shared by the tests so keyguard's hook environment is built once."""
    snapshot = tmp_path_factory.mktemp("keyguard-hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "commit", "-qm", "snapshot")
    rev = git(snapshot, "rev-parse", "HEAD").strip()
    return snapshot, rev, tmp_path_factory.mktemp("pre-commit-home")


def _pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "KEYGUARD_DATA_DIR": str(home / "kg"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture
def project(git_repo: Path, hook_repo: tuple[Path, str, Path]) -> tuple[Path, Path]:
    snapshot, rev, home = hook_repo
    (git_repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {snapshot}\n    rev: {rev}\n    hooks:\n"
        "      - id: keyguard\n      - id: keyguard-env-files\n"
    )
    git(git_repo, "add", ".pre-commit-config.yaml")
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    proc = _pre_commit(git_repo, home, pre_commit, "install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return git_repo, home


def _commit(repo: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    return _pre_commit(repo, home, "git", "commit", "-m", message)


def test_framework_blocks_a_key_and_passes_clean_allowed_and_baselined(
    project: tuple[Path, Path], rng: random.Random
) -> None:
    repo, home = project
    (repo / "app.py").write_text("print('hello')\n")
    git(repo, "add", "-A")
    proc = _commit(repo, home, "clean")
    assert proc.returncode == 0, proc.stdout + proc.stderr

    text, token = PLANTS["oneclaw-agent-key"](rng)
    (repo / "mcp.json").write_text("{\n" + text + "\n}\n")
    git(repo, "add", "-A")
    proc = _commit(repo, home, "key")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "commit blocked" in output and "mcp.json:2:" in output and "oneclaw-agent-key" in output
    assert token not in output

    (repo / "mcp.json").write_text("{\n" + text + "  // keyguard: allow\n}\n")
    git(repo, "add", "-A")
    assert _commit(repo, home, "allowed").returncode == 0

    (repo / "legacy.py").write_text(PLANTS["stripe-live-key"](rng)[0] + "\n")
    proc = subprocess.run(
        [sys.executable, "-m", "keyguard", "baseline", "create"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    git(repo, "add", "-A")
    proc = _commit(repo, home, "baselined")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_framework_checks_only_staged_content(
    project: tuple[Path, Path], rng: random.Random
) -> None:
    repo, home = project
    (repo / "notes.txt").write_text("clean\n")
    git(repo, "add", "-A")
    (repo / "notes.txt").write_text(PLANTS["github-token"](rng)[0] + "\n")  # not staged
    proc = _commit(repo, home, "staged is clean")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_env_files_hook_refuses_env_with_keys(
    project: tuple[Path, Path], rng: random.Random
) -> None:
    repo, home = project
    (repo / ".env.example").write_text("OPENAI_API_KEY=your-key-here\n")
    git(repo, "add", "-A")
    assert _commit(repo, home, "template").returncode == 0
    (repo / ".env").write_text(PLANTS["openai-project-key"](rng)[0] + "  # keyguard: allow\n")
    git(repo, "add", "-A")
    proc = _commit(repo, home, "env")
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "do not belong in git" in output and ".gitignore" in output
