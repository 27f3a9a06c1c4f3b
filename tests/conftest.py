from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from keyguard.scan.options import ScanOptions
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.scanner import Scanner
from keyguard.testing import secret_service as secret_service_process

REPO = Path(__file__).resolve().parent.parent
pytest_plugins = ["pytester"]


def require(module: str, hint: str) -> None:
    """Skip when an optional component is missing locally; in CI its absence is a failure."""
    try:
        __import__(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed: {hint}")
        pytest.skip(f"{module} is not installed: {hint}")


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> random.Random:
    """A generator seeded by the test's name: reproducible fake tokens."""
    return random.Random(request.node.nodeid)


@pytest.fixture(scope="session")
def scanner() -> Scanner:
    return Scanner(ScanOptions(BUILTIN_RULES, fingerprint_key=b"k" * 32, engine="portable"))


@pytest.fixture
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A HOME of its own, outside the test's tmp_path (which tests scan)."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("KEYGUARD_DATA_DIR", raising=False)
    return home


def require_program(name: str, hint: str) -> str:
    """The path of a program the test needs; missing, it fails in CI and skips elsewhere."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed: {hint}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _start_secret_service(home: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    hint = "apt-get install gnome-keyring dbus-x11 (.ci/run installs them)"
    require_program("dbus-run-session", hint)
    require_program("gnome-keyring-daemon", hint)
    return secret_service_process.start(home)


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real Secret Service: gnome-keyring-daemon in its own D-Bus session (dbus-run-session),
    unlocked with --unlock, its keyring files in a temporary XDG_DATA_HOME."""
    proc, env = _start_secret_service(tmp_path_factory.mktemp("secret-service"))
    yield env
    secret_service_process.stop(proc)


@pytest.fixture
def private_secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A Secret Service of the test's own, for tests that lock it."""
    proc, env = _start_secret_service(tmp_path_factory.mktemp("secret-service"))
    yield env
    secret_service_process.stop(proc)


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def git_repo(tmp_path: Path) -> Iterator[Path]:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    yield repo


class Run:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    @property
    def all(self) -> str:
        return self.out + self.err


@pytest.fixture
def keyguard(isolated_home: Path):
    """Run the real console entry point in a subprocess, as a user would."""

    def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "keyguard", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        return Run(proc)

    return run
