"""Read-only secrets from environment variables, for CI: a VAR→NAME mapping."""

from __future__ import annotations

import os
from collections.abc import Mapping

from keyguard.errors import UsageError
from keyguard.errors import VaultError
from keyguard.vault.names import name_for_env

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.config import VaultConfig


class EnvironmentSecrets:
    name = "env"
    writable = False

    def __init__(
        self, mapping: Mapping[str, str] | None = None, environ: Mapping[str, str] | None = None
    ) -> None:
        """``mapping`` is NAME→VAR; without it, names follow the convention
        (``anthropic/default`` ← ``ANTHROPIC_API_KEY``) for the variables that are set."""
        self._environ = os.environ if environ is None else environ
        if mapping is None:
            mapping = {}
            for var in self._environ:
                try:
                    name = name_for_env(var)
                except UsageError:
                    continue
                if not name.startswith("env/"):  # only variables named like credentials
                    mapping[name] = var
        self._mapping = dict(mapping)

    @classmethod
    def from_config(cls, config: VaultConfig) -> EnvironmentSecrets:
        """Names by convention, from the environment the edge read."""
        return cls(environ=config.environ)

    def __repr__(self) -> str:
        return f"EnvironmentSecrets({len(self._mapping)} names)"

    def describe(self) -> str:
        return "environment variables (read-only)"

    def get(self, name: str) -> str | None:
        var = self._mapping.get(name)
        return None if var is None else self._environ.get(var)

    def set(self, name: str, value: str) -> None:
        raise VaultError(f"storing {name}: the env backend is read-only (set it in the CI secrets)")

    def delete(self, name: str) -> bool:
        raise VaultError(f"removing {name}: the env backend is read-only")

    def names(self) -> list[str]:
        return sorted(n for n, var in self._mapping.items() if var in self._environ)

    def rollback(self, name: str) -> bool:
        raise VaultError(f"rolling back {name}: the env backend is read-only")
