from __future__ import annotations

import os
from pathlib import Path

import pytest

from keyguard import dotenv
from keyguard.errors import InputError
from keyguard.errors import SecretNotFound
from keyguard.vault.backends.env import EnvironmentSecrets
from keyguard.vault.backends.file import FileVault


def test_parse_keeps_quoting_rules() -> None:
    text = (
        "# comment\n"
        "export A=plain\n"
        "B = 'single # not a comment'\n"
        'C="double \\"quoted\\"\\nline"\n'
        "D=value # trailing comment\n"
        "E=\n"
    )
    assert dotenv.parse(text) == {
        "A": "plain",
        "B": "single # not a comment",
        "C": 'double "quoted"\nline',
        "D": "value",
        "E": "",
    }
    with pytest.raises(InputError, match="app.env:1: not a KEY=value line"):
        dotenv.parse("this is not an assignment\n", "app.env")


def test_load_resolves_references_from_the_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KEYGUARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KEYGUARD_BACKEND", "file")
    FileVault(str(tmp_path / "data" / "vault.json"), str(tmp_path / "data" / "machine.key")).set(
        "anthropic/default", "resolved-value-0001"
    )
    env_file = tmp_path / ".env"
    env_file.write_text("ANTHROPIC_API_KEY=keyguard://anthropic/default\nMODE=dev\n")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("MODE", "kept")
    loaded = dotenv.load(str(env_file))
    assert loaded["ANTHROPIC_API_KEY"] == "resolved-value-0001"
    assert os.environ["ANTHROPIC_API_KEY"] == "resolved-value-0001"
    assert os.environ["MODE"] == "kept"  # existing variables win unless override=True
    env_file.write_text("X_KEY=keyguard://missing/name\n")
    with pytest.raises(SecretNotFound, match="missing/name"):
        dotenv.load(str(env_file))


def test_env_backend_is_read_only_and_follows_the_convention() -> None:
    store = EnvironmentSecrets(environ={"ANTHROPIC_API_KEY": "from-ci-000000001", "HOME": "/x"})
    assert store.get("anthropic/default") == "from-ci-000000001"
    assert store.names() == ["anthropic/default"]
    explicit = EnvironmentSecrets(
        {"anthropic/ci": "CI_KEY"}, environ={"CI_KEY": "ci-value-0000001"}
    )
    assert explicit.get("anthropic/ci") == "ci-value-0000001"
    from keyguard.errors import VaultError

    with pytest.raises(VaultError, match="read-only"):
        store.set("anthropic/default", "x" * 10)


def test_resolved_values_reach_an_installed_redactor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyguard.redact

    monkeypatch.setenv("KEYGUARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KEYGUARD_BACKEND", "file")
    FileVault(str(tmp_path / "data" / "vault.json"), str(tmp_path / "data" / "machine.key")).set(
        "svc/default", "resolved-value-0002-zzz"
    )
    env_file = tmp_path / ".env"
    env_file.write_text("SVC_TOKEN=keyguard://svc/default\n")
    with keyguard.redact.installed(environment=False) as redactor:
        dotenv.load(str(env_file), override=True)
        assert redactor.redact("x resolved-value-0002-zzz y") == "x [REDACTED:svc/default] y"
    monkeypatch.delenv("SVC_TOKEN", raising=False)
