"""The OS keychain through ``keyring``: macOS Keychain, Secret Service, Windows Credential Manager.

Only recommended backends (priority ≥ 1) are used: keyrings.alt's plaintext file is never
picked silently.  Entries use service ``keyguard`` and the secret's name as the account; the
previous version of a replaced secret is kept under ``keyguard.previous``.
"""

from __future__ import annotations

from typing import Any

from keyguard.errors import BackendUnavailable
from keyguard.errors import VaultError
from keyguard.errors import VaultLocked

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

    backend = keyring.core.load_env() or keyring.core.load_config()
    if backend is None:
        # keyring caches the backends it found; viability can change since (no D-Bus now).
        candidates = [
            b
            for b in keyring.backend.get_all_keyring()
            if not isinstance(b, chainer.ChainerBackend) and _priority(b) >= 1
        ]
        backend = max(candidates, key=_priority, default=None)
    if backend is None or isinstance(backend, fail.Keyring) or _priority(backend) < 1:
        raise BackendUnavailable(
            "no OS keychain is available (on Linux: no Secret Service on the D-Bus session; "
            "start gnome-keyring or KeePassXC, or use KEYGUARD_BACKEND=file)"
        )
    return backend


def _priority(backend: Any) -> float:
    try:
        return float(backend.priority)
    except Exception:  # noqa: BLE001 - a backend says it cannot run by raising anything
        return -1.0


class SystemKeychain:
    name = "system"
    writable = True

    def __init__(self) -> None:
        self._backend = _keychain()

    def __repr__(self) -> str:
        return f"SystemKeychain({type(self._backend).__name__})"

    def describe(self) -> str:
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
