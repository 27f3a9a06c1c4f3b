"""The vault: one backend behind a facade that verifies, records and audits every access.

Backends (``vault/backends``): ``system`` (OS keychain via keyring), ``file`` (encrypted
file), ``openbao`` (OpenBao/HashiCorp Vault KV v2), ``env`` (read-only, CI).  Selection:
``KEYGUARD_BACKEND``, then ``[vault] backend`` in the user config, else ``auto`` (system,
else file with a one-line notice); ``system-only`` refuses to fall back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from keyguard import paths
from keyguard.errors import BackendUnavailable
from keyguard.errors import SecretExists
from keyguard.errors import SecretNotFound
from keyguard.errors import UsageError
from keyguard.errors import VaultError
from keyguard.vault.backends._base import Backend
from keyguard.vault.names import check_name
from keyguard.vault.records import Manifest
from keyguard.vault.records import audit

CHOICES = ("auto", "system", "system-only", "file", "openbao", "env")


def _settings() -> dict[str, str]:
    path = paths.config_file()
    if not os.path.isfile(path):
        return {}
    from keyguard.config import parse_toml
    from keyguard.errors import ConfigError

    try:
        with open(path, encoding="utf-8") as stream:
            table = parse_toml(stream.read()).get("vault", {})
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [vault] must be a table")
    return {str(k): str(v) for k, v in table.items()}


def _passphrase() -> str | None:
    phrase = os.environ.get("KEYGUARD_PASSPHRASE")
    if phrase:
        return phrase
    if sys.stdin.isatty() and sys.stderr.isatty():
        import getpass

        prompt = "passphrase for the keyguard vault file (empty: this machine's key unlocks it): "
        return getpass.getpass(prompt) or None
    return None


def open_backend(choice: str | None = None) -> tuple[Backend, str]:
    """The backend to use and why (for ``doctor`` and the fallback notice)."""
    settings = _settings()
    source = "--backend" if choice else ""
    if not choice and os.environ.get("KEYGUARD_BACKEND"):
        choice, source = os.environ["KEYGUARD_BACKEND"], "KEYGUARD_BACKEND"
    if not choice and settings.get("backend"):
        choice, source = settings["backend"], paths.config_file()
    choice = choice or "auto"
    why = f"{choice} (from {source})" if source else "auto (the default)"
    if choice not in CHOICES:
        from keyguard import plugins

        plugged = plugins.backend(choice)
        if plugged is None:
            names = ", ".join((*CHOICES, *plugins.backend_names()))
            raise UsageError(f"unknown vault backend {choice!r}: choose one of {names}")
        return plugged, why + " (a plug-in)"
    if choice in {"system", "system-only"}:
        from keyguard.vault.backends.system import SystemKeychain

        return SystemKeychain(), why
    if choice == "file":
        return _file(), why
    if choice == "openbao":
        from keyguard.vault.backends.openbao import OpenBao

        return OpenBao(settings.get("mount", "secret"), settings.get("prefix", "keyguard")), why
    if choice == "env":
        from keyguard.vault.backends.env import EnvironmentSecrets

        return EnvironmentSecrets(), why
    try:
        from keyguard.vault.backends.system import SystemKeychain

        return SystemKeychain(), why + ": the OS keychain is available"
    except BackendUnavailable as exc:
        return _file(), f"{why}: {exc}; using the encrypted file vault"


def _file() -> Backend:
    from keyguard.vault.backends.file import FileVault

    return FileVault(paths.vault_file(), paths.machine_key(), _passphrase)


def session(choice: str | None = None) -> Vault:
    """Open the configured backend with this machine's fingerprint key."""
    from keyguard.fingerprint import fingerprint
    from keyguard.fingerprint import load_or_create_key

    backend, _ = open_backend(choice)
    key = load_or_create_key(paths.fingerprint_key())
    return Vault(backend, lambda value: fingerprint(key, value.encode()))


class Vault:
    """Every operation goes through here: names checked, writes verified, all of it audited."""

    def __init__(self, backend: Backend, fingerprint: Callable[[str], str]) -> None:
        self.backend = backend
        self._fingerprint = fingerprint
        self.manifest = Manifest(paths.manifest())

    def _audit(self, action: str, name: str, outcome: str) -> None:
        audit(paths.audit_log(), action, name, self.backend.name, outcome)

    def get(self, name: str) -> str:
        check_name(name)
        try:
            value = self.backend.get(name)
        except VaultError:
            self._audit("get", name, "error")
            raise
        self._audit("get", name, "ok" if value is not None else "missing")
        if value is None:
            raise SecretNotFound(f"no secret named {name} in the {self.backend.name} vault "
                                 "(`keyguard list` shows what there is)")  # fmt: skip
        return value

    def exists(self, name: str) -> bool:
        return self.backend.get(check_name(name)) is not None

    def set(self, name: str, value: str, *, replace: bool = False) -> None:
        check_name(name)
        if not value:
            raise UsageError(f"refusing to store an empty value for {name}")
        existed = self.backend.get(name) is not None
        if existed and not replace:
            self._audit("set", name, "exists")
            raise SecretExists(f"{name} already exists: use --replace (the old value is kept "
                               "for `keyguard rollback`)")  # fmt: skip
        try:
            self.backend.set(name, value)
            if self.backend.get(name) != value:  # read back before anyone relies on it
                raise VaultError(f"storing {name}: the {self.backend.name} vault returned a "
                                 "different value on read-back; nothing was recorded")  # fmt: skip
        except VaultError:
            self._audit("set", name, "error")
            raise
        self.manifest.record(name, self.backend.name, self._fingerprint(value), rotated=existed)
        self.manifest.save()
        self._audit("set", name, "replaced" if existed else "created")

    def remove(self, name: str) -> None:
        check_name(name)
        removed = self.backend.delete(name)
        self.manifest.forget(name)
        self.manifest.save()
        self._audit("remove", name, "ok" if removed else "missing")
        if not removed:
            raise SecretNotFound(f"no secret named {name} in the {self.backend.name} vault")

    def rollback(self, name: str) -> None:
        check_name(name)
        if not self.backend.rollback(name):
            self._audit("rollback", name, "nothing")
            raise SecretNotFound(f"{name} has no previous version to roll back to")
        self.manifest.record(
            name, self.backend.name, self._fingerprint(self.get(name)), rotated=True
        )
        self.manifest.save()
        self._audit("rollback", name, "ok")

    def names(self) -> list[str]:
        listed = self.backend.names()
        if listed is None:
            return sorted(
                n for n, e in self.manifest.entries.items() if e.get("backend") == self.backend.name
            )
        return sorted(listed)
