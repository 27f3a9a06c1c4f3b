"""The OS keychain through ``keyring``: macOS Keychain, Secret Service, Windows Credential Manager.

Only recommended backends (priority ≥ 1) are used: keyrings.alt's plaintext file is never
picked silently.  Entries use service ``keyguard`` and the secret's name as the account; the
previous version of a replaced secret is kept under ``keyguard.previous``.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from keyguard.errors import BackendUnavailable
from keyguard.errors import VaultError
from keyguard.errors import VaultLocked

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.config import VaultConfig

SERVICE = "keyguard"
PREVIOUS = "keyguard.previous"


def _keychain() -> Any:
    try:
        import keyring
        import keyring.core
        from keyring.backends import fail
    except ImportError:
        raise BackendUnavailable(
            "the system backend needs the keyring package: pip install keyring"
        ) from None
    from keyring.backends import chainer

    backend = keyring.core.load_env() or keyring.core.load_config() or _native()
    if backend is None:
        # keyring caches the backends it found; viability can change since (no D-Bus now).
        candidates = [
            b
            for b in keyring.backend.get_all_keyring()
            if not isinstance(b, chainer.ChainerBackend) and _priority(b) >= 1
        ]
        backend = max(candidates, key=_priority, default=None)
    if backend is None or isinstance(backend, fail.Keyring) or _priority(backend) < 1:
        raise BackendUnavailable(NO_KEYCHAIN)
    return backend


def _native() -> Any:
    """The platform's own keychain, without keyring's entry-point discovery (which reads
    every installed package's metadata: the slowest part of starting a shell otherwise)."""
    import sys

    try:
        if sys.platform == "darwin":
            from keyring.backends import macOS

            candidate: Any = macOS.Keyring()
        elif sys.platform == "win32":
            from keyring.backends import Windows

            candidate = Windows.WinVaultKeyring()
        else:
            from keyring.backends import SecretService

            candidate = SecretService.Keyring()  # type: ignore[no-untyped-call]
    except Exception:  # noqa: BLE001 - not importable here: fall back to discovery
        return None
    return candidate if _priority(candidate) >= 1 else None


def _priority(backend: Any) -> float:
    try:
        return float(backend.priority)
    except Exception:  # noqa: BLE001 - a backend says it cannot run by raising anything
        return -1.0


class _SecretServiceReader:
    """Reads keyring's Secret Service items over one D-Bus connection and one session.

    ``import keyring`` alone costs ~45 ms and its backend opens a connection and a session
    per read; `keyguard env` runs at every shell start, so reads on Linux go straight through
    secretstorage, to the very items keyring writes (same attributes).  Never prompts.
    """

    def __init__(self) -> None:
        import secretstorage

        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            raise BackendUnavailable(NO_KEYCHAIN)
        try:
            self._connection = secretstorage.dbus_init()
            available = secretstorage.check_service_availability(self._connection)
        except Exception:  # noqa: BLE001 - D-Bus failures come as many types
            raise BackendUnavailable(NO_KEYCHAIN) from None
        if not available:
            self._connection.close()
            raise BackendUnavailable(NO_KEYCHAIN)
        self._session: Any = None

    def get(self, service: str, name: str) -> str | None:
        import secretstorage
        from secretstorage.util import open_session

        try:
            collection = secretstorage.get_default_collection(self._connection)
            if collection.is_locked():
                raise VaultLocked(LOCKED.format(name=name))
            for item in collection.search_items({"service": service, "username": name}):
                if item.is_locked():
                    raise VaultLocked(LOCKED.format(name=name))
                if self._session is None:
                    self._session = open_session(self._connection)
                item.session = self._session
                return bytes(item.get_secret()).decode("utf-8")
        except secretstorage.exceptions.SecretStorageException as exc:
            raise VaultError(
                f"reading {name}: the Secret Service refused: {type(exc).__name__}"
            ) from None
        return None


NO_KEYCHAIN = (
    "no OS keychain is available (on Linux: no Secret Service on the D-Bus session; "
    "start gnome-keyring or KeePassXC, or use KEYGUARD_BACKEND=file)"
)
LOCKED = (
    "reading {name}: the keychain is locked; unlock it (log in, or "
    "`gnome-keyring-daemon --unlock`) and try again"
)


def _direct_reader() -> _SecretServiceReader | None:
    """On Linux, unless keyring is told to use another backend, read the Secret Service."""
    if not sys.platform.startswith("linux") or os.environ.get("PYTHON_KEYRING_BACKEND"):
        return None
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    if os.path.exists(os.path.join(base, "python_keyring", "keyringrc.cfg")):
        return None
    try:
        import secretstorage  # noqa: F401
    except ImportError:
        return None
    return _SecretServiceReader()


class SystemKeychain:
    name = "system"
    writable = True

    @classmethod
    def from_config(cls, config: VaultConfig) -> SystemKeychain:
        return cls()

    def __init__(self) -> None:
        self._reader = _direct_reader()
        self._keyring: Any = None if self._reader is not None else _keychain()

    @property
    def _backend(self) -> Any:
        if self._keyring is None:
            self._keyring = _keychain()
        return self._keyring

    def __repr__(self) -> str:
        return "SystemKeychain(Secret Service)" if self._reader else "SystemKeychain()"

    def describe(self) -> str:
        if self._reader is not None:
            return "OS keychain: Secret Service (SecretService items, as keyring writes them)"
        backend = self._backend
        return f"OS keychain: {type(backend).__module__}.{type(backend).__name__}"

    def _call(self, action: str, name: str, fn: Any, *args: Any) -> Any:
        from keyring import errors

        try:
            return fn(*args)
        except errors.KeyringLocked:
            raise VaultLocked(
                f"{action} {name}: the keychain is locked; unlock it (log in, or "
                "`gnome-keyring-daemon --unlock`) and try again"
            ) from None
        except errors.InitError as exc:
            raise BackendUnavailable(
                f"{action} {name}: the keychain is not usable: {exc}"
            ) from None
        except errors.KeyringError as exc:
            raise VaultError(
                f"{action} {name}: the keychain refused: {type(exc).__name__}"
            ) from None

    def get(self, name: str) -> str | None:
        if self._reader is not None:
            return self._reader.get(SERVICE, name)
        value: str | None = self._call("reading", name, self._backend.get_password, SERVICE, name)
        return value

    def set(self, name: str, value: str) -> None:
        old = self.get(name)
        if old is not None:
            self._call(
                "keeping the previous", name, self._backend.set_password, PREVIOUS, name, old
            )
        self._call("storing", name, self._backend.set_password, SERVICE, name, value)

    def delete(self, name: str) -> bool:
        found = self._delete(SERVICE, name)
        self._delete(PREVIOUS, name)
        return found

    def _delete(self, service: str, name: str) -> bool:
        from keyring.errors import PasswordDeleteError

        def delete() -> bool:
            try:
                self._backend.delete_password(service, name)
            except PasswordDeleteError:
                return False
            return True

        result: bool = self._call("removing", name, delete)
        return result

    def names(self) -> list[str] | None:
        return None  # keyring cannot enumerate; the manifest lists names

    def rollback(self, name: str) -> bool:
        if self._reader is not None:
            previous = self._reader.get(PREVIOUS, name)
        else:
            previous = self._call(
                "reading the previous", name, self._backend.get_password, PREVIOUS, name
            )
        current = self.get(name)
        if previous is None or current is None:
            return False
        self._call("restoring", name, self._backend.set_password, SERVICE, name, previous)
        self._call(
            "keeping the previous", name, self._backend.set_password, PREVIOUS, name, current
        )
        return True
