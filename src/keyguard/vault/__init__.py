"""The vault: one backend behind a facade that verifies, records and audits every access.

Backends (``vault/backends``, named in ``vault/plugins.py``): ``system`` (OS keychain via
keyring), ``file`` (encrypted file), ``openbao`` (OpenBao/HashiCorp Vault KV v2), ``env``
(read-only, CI), and plug-ins.  The choice comes in a :class:`keyguard.config.VaultConfig`
that an edge read (``--backend``, ``KEYGUARD_BACKEND``, ``[vault] backend`` in the user
config, else ``auto``: system, else file with a one-line notice; ``system-only`` refuses to
fall back); nothing here reads the environment or a configuration file.
"""

from __future__ import annotations

from collections.abc import Callable

from keyguard import paths
from keyguard.errors import BackendUnavailable
from keyguard.errors import SecretExists
from keyguard.errors import SecretNotFound
from keyguard.errors import UsageError
from keyguard.errors import VaultError
from keyguard.fingerprint import fingerprint
from keyguard.fingerprint import load_or_create_key
from keyguard.vault.backends._base import Backend
from keyguard.vault.names import check_name
from keyguard.vault.plugins import CHOICES
from keyguard.vault.plugins import open_builtin
from keyguard.vault.plugins import open_plugin
from keyguard.vault.records import Manifest
from keyguard.vault.records import audit

TYPE_CHECKING = False  # typing is not imported at run time (`keyguard env`)
if TYPE_CHECKING:
    from keyguard.config import VaultConfig


def open_backend(config: VaultConfig) -> tuple[Backend, str]:
    """The backend ``config`` chooses and why (for ``doctor`` and the fallback notice)."""
    choice = config.backend
    why = f"{choice} (from {config.source})" if config.source else "auto (the default)"
    if choice == "auto":
        try:
            return open_builtin("system", config), why + ": the OS keychain is available"
        except BackendUnavailable as exc:
            return open_builtin("file", config), f"{why}: {exc}; using the encrypted file vault"
    if choice not in CHOICES:
        return open_plugin(choice), why + " (a plug-in)"
    return open_builtin("system" if choice == "system-only" else choice, config), why


def open_vault(config: VaultConfig) -> Vault:
    """The vault ``config`` describes: its backend, with this machine's fingerprint key."""
    backend, _ = open_backend(config)
    key = load_or_create_key(config.fingerprint_key)
    return Vault(
        backend,
        lambda value: fingerprint(key, value.encode()),
        manifest=config.manifest,
        audit_log=config.audit_log,
    )


class Vault:
    """Every operation goes through here: names checked, writes verified, all of it audited."""

    def __init__(
        self,
        backend: Backend,
        fingerprint: Callable[[str], str],
        *,
        manifest: str | None = None,
        audit_log: str | None = None,
    ) -> None:
        """``manifest`` and ``audit_log`` are paths (:func:`open_vault` passes the config's);
        a library caller that leaves them out gets the default places."""
        self.backend = backend
        self._fingerprint = fingerprint
        self.manifest = Manifest(manifest or paths.manifest())
        self._audit_log = audit_log or paths.audit_log()

    def _audit(self, action: str, name: str, outcome: str) -> None:
        audit(self._audit_log, action, name, self.backend.name, outcome)

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
