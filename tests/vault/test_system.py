"""The system backend against a real Secret Service (gnome-keyring-daemon)."""

from __future__ import annotations

import itertools

# keyring is imported at collection: a late first import in this long test process hit
# CPython 3.11's import-lock KeyError (_ModuleLock with reused thread ids).
import keyring  # noqa: F401
import pytest

from keyguard.errors import BackendUnavailable
from keyguard.errors import VaultLocked
from keyguard.testing.backend import BackendContract
from keyguard.vault.backends.system import SystemKeychain

_unique = itertools.count()


@pytest.fixture
def keychain(secret_service: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> SystemKeychain:
    for key, value in secret_service.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    return SystemKeychain()


class TestSecretService(BackendContract):
    @pytest.fixture
    def backend(self, keychain: SystemKeychain) -> SystemKeychain:
        # One keyring for the session: give each test its own names.
        prefix = f"t{next(_unique)}"
        original_set, original_get = keychain.set, keychain.get
        original_delete, original_rollback = keychain.delete, keychain.rollback

        class Scoped(SystemKeychain):
            def __init__(self) -> None:
                pass

            def __repr__(self) -> str:
                return repr(keychain)

            def describe(self) -> str:
                return keychain.describe()

            def get(self, name: str) -> str | None:
                return original_get(f"{prefix}-{name}")

            def set(self, name: str, value: str) -> None:
                original_set(f"{prefix}-{name}", value)

            def delete(self, name: str) -> bool:
                return original_delete(f"{prefix}-{name}")

            def rollback(self, name: str) -> bool:
                return original_rollback(f"{prefix}-{name}")

        return Scoped()

    def test_it_is_the_secret_service(self, keychain: SystemKeychain) -> None:
        assert "SecretService" in keychain.describe()


def test_no_dbus_session_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    with pytest.raises(BackendUnavailable, match="no OS keychain.*KEYGUARD_BACKEND=file"):
        SystemKeychain()


def test_a_plaintext_backend_is_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("keyrings.alt", reason="pip install keyrings.alt (in the dev extra)")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    with pytest.raises(BackendUnavailable):
        SystemKeychain()  # keyrings.alt is installed: keyring alone would pick its plaintext file
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    with pytest.raises(BackendUnavailable):
        SystemKeychain()  # even when asked for by name


def test_a_locked_keychain_is_a_clear_error(
    private_secret_service: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import secretstorage

    for key, value in private_secret_service.items():
        monkeypatch.setenv(key, value)
    keychain = SystemKeychain()
    keychain.set("locked/probe", "value-0001-abcdef")
    connection = secretstorage.dbus_init()
    collection = secretstorage.get_default_collection(connection)
    collection.lock()
    try:
        with pytest.raises(VaultLocked, match="locked"):
            keychain.get("locked/probe")
    finally:
        connection.close()
