"""Vault backends by name: the built-in table and the ``keyguard.backends`` entry points.

Both are ``"module:attr"`` strings loaded by :func:`keyguard.entrypoints.resolve`, so a
command imports only the backend it opens.  A built-in entry names an opener called with
the :class:`~keyguard.config.VaultConfig`; a plug-in's entry point named ``NAME`` makes
``--backend NAME`` (and ``backend = "NAME"`` in ``[vault]``) work: it names a class or
factory called without arguments that returns an object with the ``Backend`` protocol's
methods.  Built-in names cannot be taken by a plug-in.
"""

from __future__ import annotations

from keyguard.entrypoints import entry_points
from keyguard.entrypoints import load
from keyguard.entrypoints import resolve
from keyguard.errors import ConfigError
from keyguard.errors import UsageError

TYPE_CHECKING = False  # typing is not imported at run time (`keyguard env`)
if TYPE_CHECKING:
    from keyguard.config import VaultConfig
    from keyguard.vault.backends._base import Backend

GROUP = "keyguard.backends"
BACKENDS: dict[str, str] = {
    "system": "keyguard.vault.backends.system:SystemKeychain.from_config",
    "file": "keyguard.vault.backends.file:FileVault.from_config",
    "openbao": "keyguard.vault.backends.openbao:OpenBao.from_config",
    "env": "keyguard.vault.backends.env:EnvironmentSecrets.from_config",
}
# What ``--backend`` accepts besides plug-ins: ``auto`` (system, else file) and
# ``system-only`` (system, never a fallback) choose among the table's backends.
CHOICES = ("auto", "system", "system-only", "file", "openbao", "env")
_METHODS = ("get", "set", "delete", "names", "rollback", "describe")


def open_builtin(name: str, config: VaultConfig) -> Backend:
    """Open the built-in backend ``name`` (a key of :data:`BACKENDS`)."""
    opener = resolve(BACKENDS[name])
    made: Backend = opener(config)  # type: ignore[operator]
    return made


def plugin_names() -> list[str]:
    return [ep.name for ep in entry_points(GROUP)]


def open_plugin(name: str) -> Backend:
    """The backend the ``keyguard.backends`` plug-in ``name`` opens."""
    ep = next((ep for ep in entry_points(GROUP) if ep.name == name), None)
    if ep is None:
        names = ", ".join((*CHOICES, *plugin_names()))
        raise UsageError(f"unknown vault backend {name!r}: choose one of {names}")
    factory = load(ep, "backend")
    where = f"backend plug-in {ep.name!r} ({ep.value})"
    if not callable(factory):
        raise ConfigError(f"{where}: names {type(factory).__name__}, not a class or factory")
    made = factory()
    missing = [m for m in _METHODS if not callable(getattr(made, m, None))]
    missing += [a for a in ("name", "writable") if not hasattr(made, a)]
    if missing:
        raise ConfigError(f"{where}: the backend lacks {', '.join(missing)}")
    return made  # type: ignore[no-any-return]
