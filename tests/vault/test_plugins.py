"""Vault backends by name: the built-in table and ``keyguard.backends`` plug-ins."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.plugin_site import install as _install
from tests.plugin_site import keyguard as _keyguard


def test_backend_plugin_is_a_vault_backend(tmp_path: Path) -> None:
    site, home = tmp_path / "site", tmp_path / "home"
    home.mkdir()
    _install(site, "[keyguard.backends]\nmemory = kgdemo:Memory\n")
    value = "demo-value-" + os.urandom(8).hex()
    stored = _keyguard(site, home, "set", "demo/default", "--backend", "memory",
                       stdin=value)  # fmt: skip
    assert stored.returncode == 0, stored.stderr
    listed = _keyguard(site, home, "list", "--backend", "memory")
    assert "demo/default" in listed.stdout
    got = _keyguard(site, home, "run", "--backend", "memory", "--secret", "V=demo/default", "--",
                    sys.executable, "-c", "import os; print(len(os.environ['V']))")  # fmt: skip
    assert got.stdout.strip() == str(len(value)), got.stderr
    doctor = _keyguard(site, home, "doctor", "--backend", "memory")
    assert "vault plug-ins:  memory (kgdemo:Memory)" in doctor.stdout, doctor.stderr
    assert "rule plug-ins:   none (entry points keyguard.detectors)" in doctor.stdout
    unknown = _keyguard(site, home, "list", "--backend", "nope")
    assert unknown.returncode == 2 and "choose one of" in unknown.stderr
    assert "memory" in unknown.stderr


def test_every_built_in_backend_is_a_lazy_opener_in_the_table() -> None:
    from keyguard.entrypoints import resolve
    from keyguard.vault.plugins import BACKENDS
    from keyguard.vault.plugins import CHOICES

    assert set(BACKENDS) | {"auto", "system-only"} == set(CHOICES)
    for name, spec in BACKENDS.items():
        module, _, attr = spec.partition(":")
        assert module == f"keyguard.vault.backends.{name}" and attr.endswith(".from_config")
        assert callable(resolve(spec))


def test_open_backend_reads_only_the_config_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyguard.config import read_vault
    from keyguard.vault import open_backend
    from keyguard.vault import open_vault

    environ = {
        "KEYGUARD_DATA_DIR": str(tmp_path / "data"),
        "KEYGUARD_BACKEND": "env",
        "XDG_CONFIG_HOME": str(tmp_path / "none"),
        "OPENAI_API_KEY": "from-the-config",
    }
    config = read_vault(environ)
    monkeypatch.setenv("KEYGUARD_BACKEND", "no-such-backend")  # read after: must not matter
    monkeypatch.setenv("OPENAI_API_KEY", "from-os-environ")
    backend, why = open_backend(config)
    assert (backend.name, why) == ("env", "env (from KEYGUARD_BACKEND)")
    assert backend.get("openai/default") == "from-the-config"
    vault = open_vault(config._replace(backend="file", source="--backend"))
    vault.set("demo/default", "a-stored-value-1")
    assert (tmp_path / "data" / "vault.json").is_file()
    assert (tmp_path / "data" / "manifest.json").is_file()
    assert "demo/default" in (tmp_path / "data" / "audit.log").read_text()
