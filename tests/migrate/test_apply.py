"""Fault injection: a migration stopped at any step loses nothing, and a re-run completes it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from keyguard.errors import RewriteRefused
from keyguard.migrate import apply as apply_module
from keyguard.migrate.apply import apply
from keyguard.migrate.apply import undo
from keyguard.migrate.plan import Plan
from keyguard.migrate.plan import make_plan
from keyguard.scan.options import ScanOptions
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.scanner import Scanner
from keyguard.testing import tokens
from keyguard.vault import Vault
from keyguard.vault.backends.file import FileVault


class Crash(Exception):
    pass


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KEYGUARD_DATA_DIR", str(tmp_path / "data"))
    vault = Vault(
        FileVault(str(tmp_path / "data" / "vault.json"), str(tmp_path / "data" / "mk")),
        lambda value: "fp",
    )
    scanner = Scanner(ScanOptions(BUILTIN_RULES, b"k" * 32, engine="portable"))
    key = tokens.anthropic(random.Random(1))
    rc = tmp_path / ".bashrc"
    rc.write_text(f"# rc\nexport ANTHROPIC_API_KEY={key}\n")
    return vault, scanner, rc, key


def _plan(vault: Vault, scanner: Scanner, rc: Path) -> Plan:
    plan = make_plan(str(rc), vault, scanner, "keyguard")
    assert plan is not None
    return plan


@pytest.mark.parametrize("step", ["after storing", "after verifying", "during the file write"])
def test_a_crash_at_each_step_leaves_old_or_new_and_a_rerun_completes(
    setup, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    vault, scanner, rc, key = setup
    original = rc.read_bytes()
    plan = _plan(vault, scanner, rc)

    def crash(*args: object, **kwargs: object) -> None:
        raise Crash(step)

    with monkeypatch.context() as patch:
        if step == "after storing":
            real_set = vault.set

            def set_then_crash(*args: object, **kwargs: object) -> None:
                real_set(*args, **kwargs)  # type: ignore[arg-type,unused-ignore]
                raise Crash(step)

            patch.setattr(vault, "set", set_then_crash)
        elif step == "after verifying":
            patch.setattr(apply_module, "_record", crash)
        else:
            from keyguard.atomic import write_atomic_str as real_write

            def torn_write(path: str, data: bytes, mode: int = 0o600) -> None:
                if path != str(rc):
                    real_write(path, data, mode)
                    return
                (rc.parent / ".bashrc.partial.tmp").write_bytes(data[: len(data) // 2])
                raise Crash(step)  # killed before the rename: the temporary file is torn

            patch.setattr(apply_module, "write_atomic_str", torn_write)
        with pytest.raises(Crash):
            apply(plan, vault)
    assert rc.read_bytes() == original  # the old file, whole
    assert vault.get("anthropic/default") == key  # and the key already safe in the vault
    rerun = _plan(vault, scanner, rc)
    assert rerun.create == []  # same name, value already there
    apply(rerun, vault)
    assert key.encode() not in rc.read_bytes()
    undo(str(rc), vault)
    assert rc.read_bytes() == original


def test_a_file_changed_after_planning_is_not_written(setup) -> None:
    vault, scanner, rc, _ = setup
    plan = _plan(vault, scanner, rc)
    rc.write_text(rc.read_text() + "alias x=y\n")
    changed = rc.read_bytes()
    with pytest.raises(RewriteRefused, match="changed since it was planned"):
        apply(plan, vault)
    assert rc.read_bytes() == changed


def test_undo_refuses_a_file_edited_since(setup) -> None:
    vault, scanner, rc, _ = setup
    apply(_plan(vault, scanner, rc), vault)
    rc.write_text(rc.read_text() + "# edited\n")
    with pytest.raises(RewriteRefused, match="changed since it was migrated"):
        undo(str(rc), vault)


def test_the_reverse_plan_holds_no_value(setup, tmp_path: Path) -> None:
    vault, scanner, rc, key = setup
    apply(_plan(vault, scanner, rc), vault)
    records = list((tmp_path / "data" / "migrations").glob("*.json"))
    assert len(records) == 1
    text = records[0].read_text()
    assert key not in text and key[20:32] not in text and '"name": "anthropic/default"' in text


KILLER = """
import os, signal, sys
from keyguard import atomic, vault
from keyguard.migrate import apply as apply_module
step, target = sys.argv[1], os.path.realpath(sys.argv[2])

def die():
    os.kill(os.getpid(), signal.SIGKILL)

if step == "after storing":
    real_set = vault.Vault.set
    def set_then_die(self, *args, **kwargs):
        real_set(self, *args, **kwargs)
        die()
    vault.Vault.set = set_then_die
elif step == "after verifying":
    apply_module._record = lambda plan: die()
elif step == "before the rename":
    real_replace = os.replace
    def replace(src, dst, *args, **kwargs):
        if os.fspath(dst) == target:
            die()  # the new bytes are in a fsynced temporary file, not yet in place
        real_replace(src, dst, *args, **kwargs)
    os.replace = replace
elif step == "after the rename":
    real_write = apply_module.write_atomic_str
    def write_then_die(path, data, mode=0o600):
        real_write(path, data, mode)
        if os.path.realpath(path) == target:
            die()
    apply_module.write_atomic_str = write_then_die
from keyguard.cli import main
sys.exit(main(["migrate", sys.argv[2], "--yes"]))
"""


@pytest.mark.parametrize(
    "step", ["after storing", "after verifying", "before the rename", "after the rename"]
)
def test_a_killed_process_leaves_old_or_new_and_a_rerun_completes(
    tmp_path: Path, isolated_home: Path, step: str
) -> None:
    """The same, with the real command killed by SIGKILL at each step."""
    env = {**os.environ, "KEYGUARD_DATA_DIR": str(tmp_path / "data"),
           "KEYGUARD_BACKEND": "file", "HOME": str(isolated_home)}  # fmt: skip
    env.pop("KEYGUARD_PASSPHRASE", None)
    key = tokens.openai_project(random.Random(step))
    rc = tmp_path / ".zshrc"
    original = f"# rc\nexport OPENAI_API_KEY={key}\n".encode()
    rc.write_bytes(original)

    def keyguard(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "keyguard", *args],
                              capture_output=True, text=True, env=env)  # fmt: skip

    killed = subprocess.run([sys.executable, "-c", KILLER, step, str(rc)],
                            capture_output=True, text=True, env=env)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    now = rc.read_bytes()
    migrated = key.encode() not in now
    assert now == original or (migrated and b"env --shell sh OPENAI_API_KEY=" in now)
    assert migrated is (step == "after the rename")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")] or step == (
        "before the rename"
    )  # only a kill between fsync and rename can leave a temporary file behind
    got = keyguard("get", "openai/default")
    in_vault = got.returncode == 0 and got.stdout.strip() == key
    assert in_vault, "the key is not in the vault"
    rerun = keyguard("migrate", str(rc), "--yes")
    assert rerun.returncode == 0, rerun.stderr
    assert key.encode() not in rc.read_bytes()
    assert keyguard("migrate", "--undo", str(rc)).returncode == 0
    assert rc.read_bytes() == original
