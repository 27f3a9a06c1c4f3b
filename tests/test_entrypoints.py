"""``keyguard.entrypoints``: "module:attr" strings and the cheap look at entry_points.txt."""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from keyguard import entrypoints
from keyguard.errors import ConfigError
from keyguard.vault.backends.file import FileVault


def test_resolve_follows_module_and_dotted_attributes() -> None:
    assert entrypoints.resolve("keyguard.vault.backends.file:FileVault") is FileVault
    opener = entrypoints.resolve("keyguard.vault.backends.file:FileVault.from_config")
    assert opener == FileVault.from_config
    assert entrypoints.resolve("keyguard.entrypoints") is entrypoints
    assert entrypoints.resolve("keyguard.entrypoints:resolve [extra]") is entrypoints.resolve


def _site(tmp_path: Path, text: str) -> Path:
    info = tmp_path / "demo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(text)
    return tmp_path


def test_declared_and_entry_points_read_only_installed_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert entrypoints.declared("keyguard.test-group") is False
    assert entrypoints.entry_points("keyguard.test-group") == []
    site = _site(tmp_path, "[keyguard.test-group]\nb = x:B\na = x:A\n")
    monkeypatch.setattr(sys, "path", [str(site), *sys.path])
    assert entrypoints.declared("keyguard.test-group") is True
    assert [ep.name for ep in entrypoints.entry_points("keyguard.test-group")] == ["a", "b"]


def test_a_plug_in_that_cannot_be_loaded_is_a_config_error_naming_it() -> None:
    ep = EntryPoint("broken", "keyguard.entrypoints:nothing_here", "keyguard.backends")
    with pytest.raises(ConfigError) as raised:
        entrypoints.load(ep, "backend")
    assert str(raised.value).startswith(
        "backend plug-in 'broken' (keyguard.entrypoints:nothing_here) cannot be loaded: "
        "AttributeError:"
    )
