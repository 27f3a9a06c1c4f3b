from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keyguard.errors import InsecureVault
from keyguard.errors import VaultCorrupt
from keyguard.errors import VaultLocked
from keyguard.testing.backend import BackendContract
from keyguard.vault.backends.file import FileVault

FAST_N = 1 << 12  # tests use a cheap scrypt; the header records it


def _vault(tmp_path: Path, phrase: str | None = None) -> FileVault:
    return FileVault(str(tmp_path / "vault.json"), str(tmp_path / "machine.key"),
                     (lambda: phrase) if phrase else None, scrypt_n=FAST_N)  # fmt: skip


class TestMachineKeyVault(BackendContract):
    @pytest.fixture
    def backend(self, tmp_path: Path) -> FileVault:
        return _vault(tmp_path)


class TestPassphraseVault(BackendContract):
    @pytest.fixture
    def backend(self, tmp_path: Path) -> FileVault:
        return _vault(tmp_path, "correct horse battery staple")


def test_file_is_private_and_holds_no_plaintext(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    vault.set("demo/default", "plaintext-must-not-appear-0001")
    path = tmp_path / "vault.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "machine.key").stat().st_mode & 0o777 == 0o600
    assert b"plaintext-must-not-appear" not in path.read_bytes()
    assert "demo/default" in vault.names()


def test_wrong_passphrase_is_a_clear_error(tmp_path: Path) -> None:
    _vault(tmp_path, "right-phrase").set("demo/default", "value-0001-abcdef")
    with pytest.raises(VaultLocked, match="wrong passphrase"):
        _vault(tmp_path, "wrong-phrase").get("demo/default")
    with pytest.raises(VaultLocked, match="KEYGUARD_PASSPHRASE"):
        FileVault(str(tmp_path / "vault.json"), str(tmp_path / "machine.key"), None).get("x/y")


def test_passphrase_change_rewraps_only_the_data_key(tmp_path: Path) -> None:
    vault = _vault(tmp_path, "old-phrase")
    vault.set("demo/default", "value-0001-abcdef")
    before = json.loads((tmp_path / "vault.json").read_bytes().split(b"\n")[0])["entries"]
    vault.change_passphrase("new-phrase")
    after = json.loads((tmp_path / "vault.json").read_bytes().split(b"\n")[0])["entries"]
    assert before == after  # entries untouched: only the key header changed
    assert _vault(tmp_path, "new-phrase").get("demo/default") == "value-0001-abcdef"
    with pytest.raises(VaultLocked):
        _vault(tmp_path, "old-phrase").get("demo/default")


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_flipped_byte_anywhere_is_detected_and_nothing_is_overwritten(
    tmp_path: Path, where: str
) -> None:
    vault = _vault(tmp_path)
    vault.set("demo/default", "value-0001-abcdef")
    path = tmp_path / "vault.json"
    data = bytearray(path.read_bytes())
    index = {"start": 2, "middle": len(data) // 2, "end": len(data) - 3}[where]
    data[index] ^= 0x01
    path.write_bytes(bytes(data))
    os.chmod(path, 0o600)
    with pytest.raises((VaultCorrupt, VaultLocked)):
        vault.get("demo/default")
    with pytest.raises((VaultCorrupt, VaultLocked)):
        vault.set("demo/other", "value-0002-abcdef")
    assert path.read_bytes() == bytes(data)  # the damaged file was left as it was


def test_readable_by_others_is_refused_with_the_fix(tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    vault.set("demo/default", "value-0001-abcdef")
    os.chmod(tmp_path / "vault.json", 0o644)
    with pytest.raises(InsecureVault, match="chmod 600"):
        vault.get("demo/default")


def _writer(path: str, key: str, name: str, count: int) -> None:
    vault = FileVault(path, key, None)
    for i in range(count):
        vault.set(f"{name}/n{i}", f"value-{name}-{i:04d}")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path, key = str(tmp_path / "vault.json"), str(tmp_path / "machine.key")
    FileVault(path, key, None).set("seed/default", "seed-value-0001")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, key, name, 15)) for name in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    names = FileVault(path, key, None).names()
    assert len([n for n in names if n.startswith(("a/", "b/"))]) == 30


def test_sigkill_during_writes_leaves_a_readable_vault(tmp_path: Path) -> None:
    path, key = str(tmp_path / "vault.json"), str(tmp_path / "machine.key")
    FileVault(path, key, None).set("seed/default", "seed-value-0001")
    code = (
        "import sys; from keyguard.vault.backends.file import FileVault\n"
        f"v = FileVault({path!r}, {key!r}, None)\n"
        "i = 0\n"
        "while True:\n"
        "    v.set('loop/n%d' % (i % 50), 'value-%08d' % i); i += 1\n"
    )
    for delay in (0.15, 0.3, 0.45):
        proc = subprocess.Popen([sys.executable, "-c", code])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        vault = FileVault(path, key, None)
        assert vault.get("seed/default") == "seed-value-0001"  # authentic, complete, readable
        assert all(vault.get(n) is not None for n in vault.names())
