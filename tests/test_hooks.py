"""The standalone git hooks, installed with `keyguard install-hook`, driven by real git."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from keyguard.testing.tokens import PLANTS
from tests.conftest import REPO
from tests.conftest import git


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(home),
        "KEYGUARD_DATA_DIR": str(home / "kg"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "NO_COLOR": "1",
    }


def _run(
    cwd: Path, home: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=_env(home), capture_output=True, text=True, input=stdin
    )


def _keyguard(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _run(cwd, home, sys.executable, "-m", "keyguard", *args)


@pytest.fixture
def hooked(git_repo: Path, isolated_home: Path) -> Path:
    proc = _keyguard(git_repo, isolated_home, "install-hook")
    assert proc.returncode == 0, proc.stderr
    return git_repo


def test_commit_with_a_key_is_blocked_with_advice(
    hooked: Path, isolated_home: Path, rng: random.Random
) -> None:
    text, token = PLANTS["anthropic-api-key"](rng)
    (hooked / "settings.env").write_text(f"# config\n{text}\n")
    git(hooked, "add", "-A")
    proc = _run(hooked, isolated_home, "git", "commit", "-m", "add settings")
    assert proc.returncode != 0
    assert "keyguard: commit blocked: 1 key found" in proc.stderr
    assert "settings.env:2:" in proc.stderr and "anthropic-api-key" in proc.stderr
    assert "keyguard: allow" in proc.stderr and "keyguard baseline update" in proc.stderr
    assert "keyguard migrate settings.env" in proc.stderr
    assert token not in proc.stderr + proc.stdout
    assert git(hooked, "rev-list", "--all") == ""  # nothing was committed


def test_clean_and_allowed_commits_pass(
    hooked: Path, isolated_home: Path, rng: random.Random
) -> None:
    (hooked / "app.py").write_text("print('hi')\n")
    git(hooked, "add", "-A")
    assert _run(hooked, isolated_home, "git", "commit", "-qm", "clean").returncode == 0
    text, _ = PLANTS["github-token"](rng)
    (hooked / "fixture.py").write_text(f"{text}  # keyguard: allow\n")
    git(hooked, "add", "-A")
    assert _run(hooked, isolated_home, "git", "commit", "-qm", "allowed").returncode == 0


def test_only_staged_content_counts(hooked: Path, isolated_home: Path, rng: random.Random) -> None:
    text, _ = PLANTS["npm-token"](rng)
    (hooked / "a.txt").write_text("clean\n")
    git(hooked, "add", "a.txt")
    (hooked / "a.txt").write_text(text + "\n")  # unstaged key: not part of this commit
    assert _run(hooked, isolated_home, "git", "commit", "-qm", "clean index").returncode == 0
    git(hooked, "add", "a.txt")
    (hooked / "a.txt").write_text("clean again\n")  # staged key, clean work tree: blocked
    assert _run(hooked, isolated_home, "git", "commit", "-qm", "staged key").returncode != 0


def test_baselined_key_passes_and_a_removed_one_updates_the_baseline(
    hooked: Path, isolated_home: Path, rng: random.Random
) -> None:
    text, _ = PLANTS["stripe-live-key"](rng)
    (hooked / "legacy.cfg").write_text(f"{text}\n")
    proc = _keyguard(hooked, isolated_home, "baseline", "create")
    assert proc.returncode == 0, proc.stderr
    git(hooked, "add", "-A")
    assert _run(hooked, isolated_home, "git", "commit", "-qm", "known key").returncode == 0
    (hooked / "legacy.cfg").write_text("rotated = true\n")
    git(hooked, "add", "-A")
    proc = _run(hooked, isolated_home, "git", "commit", "-qm", "remove key")
    assert proc.returncode != 0
    assert ".keyguard-baseline.json updated: 1 entry" in proc.stderr
    git(hooked, "add", "-A")
    assert _run(hooked, isolated_home, "git", "commit", "-qm", "remove key").returncode == 0
    assert '"path"' not in (hooked / ".keyguard-baseline.json").read_text()


def test_install_refuses_a_foreign_hook(git_repo: Path, isolated_home: Path) -> None:
    hook = git_repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\necho mine\n")
    proc = _keyguard(git_repo, isolated_home, "install-hook")
    assert proc.returncode == 2 and "is not keyguard's" in proc.stderr
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    proc = _keyguard(git_repo, isolated_home, "install-hook", "--force")
    assert proc.returncode == 0
    assert "keyguard-hook" in hook.read_text()
    assert (hook.parent / "pre-commit.keyguard-backup").read_text() == "#!/bin/sh\necho mine\n"
    assert _keyguard(git_repo, isolated_home, "install-hook").returncode == 0  # ours: replaced


def test_pre_push_blocks_keys_in_pushed_history(
    git_repo: Path, isolated_home: Path, tmp_path: Path, rng: random.Random
) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(git_repo, "remote", "add", "origin", str(remote))
    (git_repo / "a.txt").write_text("one\n")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "one")
    assert _keyguard(git_repo, isolated_home, "install-hook", "--pre-push").returncode == 0
    assert _run(git_repo, isolated_home, "git", "push", "-q", "origin", "main").returncode == 0
    text, token = PLANTS["huggingface-token"](rng)
    (git_repo / "b.txt").write_text(text + "\n")
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "key")
    (git_repo / "b.txt").unlink()
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "removed again")
    proc = _run(git_repo, isolated_home, "git", "push", "origin", "main")
    assert proc.returncode != 0
    assert "keyguard: push blocked: 1 key found" in proc.stderr and "b.txt:1:" in proc.stderr
    assert "keyguard migrate" not in proc.stderr  # the file is gone: only history holds it
    assert token not in proc.stderr


def test_hook_scripts_in_the_repo_match_the_packaged_ones() -> None:
    for kind in ("pre-commit", "pre-push"):
        shipped = (REPO / "src" / "keyguard" / "hooks" / "scripts" / kind).read_text()
        assert (REPO / "hooks" / kind).read_text() == shipped
        assert os.access(REPO / "hooks" / kind, os.X_OK)
        proc = subprocess.run(["sh", "-n", str(REPO / "hooks" / kind)], capture_output=True)
        assert proc.returncode == 0, proc.stderr


HEAVY = ["keyring", "cryptography", "hvac", "yaml", "detect_secrets"]
# Whether the hook reads the named files (under the pre-commit framework) or asks git for the
# index (standalone), not even these load: git runs through os.posix_spawnp (keyguard.process).
STARTUP = ["typing", "dataclasses", "argparse", "subprocess", "pathlib", "hashlib", "json",
           "shutil", "base64", "threading", "tempfile"]  # fmt: skip


@pytest.mark.parametrize("framework", [False, True])
def test_hook_path_does_not_import_heavy_modules(
    git_repo: Path, isolated_home: Path, framework: bool
) -> None:
    (git_repo / "app.py").write_text("token_count = 3\n")
    git(git_repo, "add", "-A")
    banned = HEAVY + (STARTUP if framework or os.name == "posix" else [])
    args = ["hook", "pre-commit", *(["app.py"] if framework else [])]
    code = (
        f"import sys; from keyguard.cli import main; code = main({args!r}); "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {banned!r})); sys.exit(code)"
    )
    env = {**_env(isolated_home), **({"PRE_COMMIT": "1"} if framework else {})}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=git_repo, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
