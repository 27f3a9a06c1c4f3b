"""OpenBao or HashiCorp Vault KV v2 through hvac, for teams that outgrow one machine.

Address and credentials come from ``VAULT_ADDR``/``VAULT_TOKEN`` (or ``BAO_ADDR``/``BAO_TOKEN``),
or AppRole (``VAULT_ROLE_ID`` and ``VAULT_SECRET_ID``).  A secret ``anthropic/default`` is stored
at ``<mount>/<prefix>/anthropic/default`` with the value under the key ``value``; KV v2 keeps
versions, so rollback writes the previous version back as a new one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from keyguard.errors import BackendUnavailable
from keyguard.errors import VaultError
from keyguard.errors import VaultLocked

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.config import VaultConfig


class OpenBao:
    name = "openbao"
    writable = True

    @classmethod
    def from_config(cls, config: VaultConfig) -> OpenBao:
        """Mount and prefix from ``[vault]``; address and token from the environment read."""
        return cls(config.mount, config.prefix, environ=config.environ)

    def __init__(
        self,
        mount: str = "secret",
        prefix: str = "keyguard",
        environ: Mapping[str, str] | None = None,
    ) -> None:
        env = os.environ if environ is None else environ
        self.address = env.get("VAULT_ADDR") or env.get("BAO_ADDR") or ""
        if not self.address:
            raise BackendUnavailable(
                "the openbao backend needs VAULT_ADDR (or BAO_ADDR), for example "
                "http://127.0.0.1:8200"
            )
        try:
            import hvac
        except ImportError:
            raise BackendUnavailable("the openbao backend needs hvac: pip install hvac") from None
        self.mount, self.prefix = mount, prefix.strip("/")
        self._client: Any = hvac.Client(
            url=self.address, token=env.get("VAULT_TOKEN") or env.get("BAO_TOKEN")
        )
        role, secret_id = env.get("VAULT_ROLE_ID"), env.get("VAULT_SECRET_ID")
        try:
            if role and secret_id:
                self._client.auth.approle.login(role_id=role, secret_id=secret_id)
            authenticated = self._client.is_authenticated()
        except Exception as exc:  # noqa: BLE001 - connection errors come in many types
            raise BackendUnavailable(
                f"cannot reach OpenBao/Vault at {self.address}: {type(exc).__name__}"
            ) from None
        if not authenticated:
            raise VaultLocked(
                f"OpenBao/Vault at {self.address} refused the credentials: set VAULT_TOKEN, or "
                "VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole"
            )

    def __repr__(self) -> str:
        return f"OpenBao({self.address!r}, mount={self.mount!r}, prefix={self.prefix!r})"

    def describe(self) -> str:
        return f"OpenBao/Vault KV v2 at {self.address}, {self.mount}/{self.prefix}/"

    def _path(self, name: str) -> str:
        return f"{self.prefix}/{name}" if self.prefix else name

    def _kv(self) -> Any:
        return self._client.secrets.kv.v2

    def _call(self, action: str, name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        import hvac.exceptions as errors

        try:
            return fn(*args, **kwargs)
        except errors.InvalidPath:
            return None
        except errors.Forbidden:
            raise VaultLocked(f"{action} {name}: OpenBao/Vault denied it (policy)") from None
        except errors.VaultError as exc:
            raise VaultError(f"{action} {name}: OpenBao/Vault error {type(exc).__name__}") from None
        except Exception as exc:  # noqa: BLE001 - requests' connection errors
            raise BackendUnavailable(
                f"{action} {name}: {type(exc).__name__} talking to {self.address}"
            ) from None

    def _read(self, name: str, version: int | None = None) -> tuple[str, int] | None:
        response = self._call(
            "reading", name, self._kv().read_secret_version, path=self._path(name),
            version=version, mount_point=self.mount, raise_on_deleted_version=False,
        )  # fmt: skip
        if not response or not response.get("data") or response["data"].get("data") is None:
            return None
        data = response["data"]
        return str(data["data"].get("value", "")), int(data["metadata"]["version"])

    def get(self, name: str) -> str | None:
        found = self._read(name)
        return None if found is None else found[0]

    def set(self, name: str, value: str) -> None:
        self._call("storing", name, self._kv().create_or_update_secret, path=self._path(name),
                   secret={"value": value}, mount_point=self.mount)  # fmt: skip

    def delete(self, name: str) -> bool:
        if self._read(name) is None:
            return False
        self._call("removing", name, self._kv().delete_metadata_and_all_versions,
                   path=self._path(name), mount_point=self.mount)  # fmt: skip
        return True

    def names(self) -> list[str]:
        found: list[str] = []
        self._list(self.prefix, found)
        return sorted(found)

    def _list(self, path: str, out: list[str]) -> None:
        response = self._call("listing", path or "/", self._kv().list_secrets, path=path,
                              mount_point=self.mount)  # fmt: skip
        for key in (response or {}).get("data", {}).get("keys", []):
            child = f"{path}/{key}".strip("/") if path else key
            if key.endswith("/"):
                self._list(child.rstrip("/"), out)
            else:
                out.append(child[len(self.prefix) + 1 :] if self.prefix else child)

    def rollback(self, name: str) -> bool:
        current = self._read(name)
        if current is None or current[1] < 2:
            return False
        previous = self._read(name, current[1] - 1)
        if previous is None:
            return False
        self.set(name, previous[0])
        return True
