"""The encrypted file vault: where there is no OS keychain.

Layout: one JSON line (key header and entries) and one line holding an HMAC-SHA256 over the
exact bytes of the first, so a changed byte anywhere is detected.  A random 256-bit data key
encrypts each value with AES-256-GCM (fresh nonce per write, the entry's name and slot in the
associated data, so values cannot be swapped between names).  The data key is wrapped by a
key derived with scrypt from a passphrase, or by a random machine key kept in its own 0600
file (no KDF: it is not a password).  Writes lock a sidecar file, replace atomically with
fsync, and keep mode 0600; a vault that others can read, or that another user owns, is
refused.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import json
import os
from collections.abc import Callable
from collections.abc import Iterator

from keyguard.errors import VaultCorrupt
from keyguard.errors import VaultLocked
from keyguard.vault.backends import sealing
from keyguard.vault.backends.sealing import FORMAT
from keyguard.vault.backends.sealing import SCRYPT_N
from keyguard.vault.backends.sealing import SCRYPT_P
from keyguard.vault.backends.sealing import SCRYPT_R
from keyguard.vault.backends.sealing import VERSION
from keyguard.vault.backends.sealing import b64
from keyguard.vault.backends.sealing import check_private
from keyguard.vault.backends.sealing import header_aad
from keyguard.vault.backends.sealing import load_machine_key
from keyguard.vault.backends.sealing import mac as body_mac
from keyguard.vault.backends.sealing import scrypt
from keyguard.vault.backends.sealing import unb64

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.config import VaultConfig

Passphrase = Callable[[], "str | None"]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class FileVault:
    name = "file"
    writable = True

    @classmethod
    def from_config(cls, config: VaultConfig) -> FileVault:
        return cls(config.vault_file, config.machine_key, config.passphrase)

    def __init__(
        self,
        path: str,
        machine_key_path: str,
        passphrase: Passphrase | None = None,
        scrypt_n: int = SCRYPT_N,
    ) -> None:
        self.path = path
        self.machine_key_path = machine_key_path
        self._passphrase = passphrase
        self._scrypt_n = scrypt_n
        self._cache: tuple[tuple[int, int, int], _State] | None = None  # (file identity, state)

    def __repr__(self) -> str:
        return f"FileVault({self.path!r})"

    def describe(self) -> str:
        mode = "(not created yet)"
        if os.path.exists(self.path):
            kind = self._read_header().get("mode", "?")
            mode = "passphrase (scrypt)" if kind == "scrypt" else "machine key"
        return f"encrypted file {self.path}, unlocked by {mode}"

    # -- the Backend Protocol --------------------------------------------------------------
    def get(self, name: str) -> str | None:
        state = self._load()
        if state is None:
            return None
        entry = state.entries.get(name)
        return None if entry is None else state.open(name, "current", entry["current"])

    def set(self, name: str, value: str) -> None:
        with self._locked():
            state = self._load() or self._create()
            old = state.entries.get(name)
            sealed = state.seal(name, "current", value)
            now = _now()
            if old is None:
                state.entries[name] = {"current": sealed, "previous": None, "created": now,
                                       "updated": now}  # fmt: skip
            else:
                previous_value = state.open(name, "current", old["current"])
                old["previous"] = state.seal(name, "previous", previous_value)
                old["current"], old["updated"] = sealed, now
            self._save(state)

    def delete(self, name: str) -> bool:
        with self._locked():
            state = self._load()
            if state is None or name not in state.entries:
                return False
            del state.entries[name]
            self._save(state)
            return True

    def names(self) -> list[str]:
        state = self._load()
        return [] if state is None else sorted(state.entries)

    def rollback(self, name: str) -> bool:
        with self._locked():
            state = self._load()
            entry = None if state is None else state.entries.get(name)
            if state is None or entry is None or entry.get("previous") is None:
                return False
            current = state.open(name, "current", entry["current"])
            previous = state.open(name, "previous", entry["previous"])
            entry["current"] = state.seal(name, "current", previous)
            entry["previous"] = state.seal(name, "previous", current)
            entry["updated"] = _now()
            self._save(state)
            return True

    def dates(self, name: str) -> tuple[str, str] | None:
        state = self._load()
        entry = None if state is None else state.entries.get(name)
        return None if entry is None else (str(entry["created"]), str(entry["updated"]))

    # -- passphrase ------------------------------------------------------------------------
    def change_passphrase(self, new: str | None) -> None:
        """Rewrap the data key only (``None``: switch to the machine key)."""
        with self._locked():
            state = self._load()
            if state is None:
                raise VaultLocked(f"{self.path} does not exist yet")
            state.header = self._wrap(state.data_key, new)
            self._save(state)

    # -- internals -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        os.makedirs(os.path.dirname(self.path) or ".", mode=0o700, exist_ok=True)
        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX)
            except ImportError:  # pragma: no cover - Windows: msvcrt locks a byte range
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined,unused-ignore]
            yield
        finally:
            os.close(fd)

    def _read_raw(self) -> bytes | None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            check_private(fd, self.path)
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(fd)
        return b"".join(chunks)

    def _read_header(self) -> dict[str, object]:
        raw = self._read_raw()
        try:
            body = json.loads(raw.split(b"\n", 1)[0]) if raw else {}
            key = body["key"]
        except (ValueError, KeyError, TypeError):
            raise self._corrupt() from None
        return dict(key)

    def _corrupt(self) -> VaultCorrupt:
        return VaultCorrupt(
            f"{self.path} failed authentication: it was modified or damaged. Nothing was "
            "changed; restore it from a backup, or move it aside to start a new vault."
        )

    def _load(self) -> _State | None:
        """The authenticated state; reread only when the file changed (``env`` reads several
        names in one process: the key is unwrapped once)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        identity = (st.st_ino, st.st_size, st.st_mtime_ns)
        if self._cache is not None and self._cache[0] == identity:
            cached = self._cache[1]
            entries = json.loads(json.dumps(cached.entries))  # callers may modify their copy
            return _State(cached.header, entries, cached.data_key, self)
        state = self._load_file()
        if state is not None:
            self._cache = (identity, state)
        return state

    def _load_file(self) -> _State | None:
        raw = self._read_raw()
        if raw is None:
            return None
        body, _, tail = raw.partition(b"\n")
        try:
            document = json.loads(body)
            if document.get("format") != FORMAT or document.get("version") != VERSION:
                raise ValueError("format")
            header = document["key"]
            entries = document["entries"]
            mac = bytes.fromhex(tail.strip().decode())
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            raise self._corrupt() from None
        data_key = self._unwrap(header)
        if (
            not hmac.compare_digest(mac, body_mac(data_key, body))
            or tail != mac.hex().encode() + b"\n"
        ):
            raise self._corrupt()
        return _State(header, entries, data_key, self)

    def _create(self) -> _State:
        data_key = os.urandom(32)
        phrase = self._passphrase() if self._passphrase is not None else None
        return _State(self._wrap(data_key, phrase), {}, data_key, self)

    def _wrap(self, data_key: bytes, phrase: str | None) -> dict[str, object]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        header: dict[str, object]
        if phrase:
            salt = os.urandom(16)
            header = {"mode": "scrypt", "n": self._scrypt_n, "r": SCRYPT_R, "p": SCRYPT_P,
                      "salt": b64(salt)}  # fmt: skip
            wrapping = scrypt(phrase, salt, self._scrypt_n, SCRYPT_R, SCRYPT_P)
        else:
            header = {"mode": "machine"}
            wrapping = load_machine_key(self.machine_key_path)
        nonce = os.urandom(12)
        header["nonce"] = b64(nonce)
        header["wrapped"] = b64(AESGCM(wrapping).encrypt(nonce, data_key, header_aad(header)))
        return header

    def _unwrap(self, header: dict[str, object]) -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            mode = header["mode"]
            if mode == "scrypt":
                phrase = self._passphrase() if self._passphrase is not None else None
                if not phrase:
                    raise VaultLocked(
                        f"{self.path} is locked by a passphrase: set KEYGUARD_PASSPHRASE or run "
                        "keyguard in a terminal to be asked for it"
                    )
                wrapping = scrypt(phrase, unb64(str(header["salt"])), int(str(header["n"])),
                                   int(str(header["r"])), int(str(header["p"])))  # fmt: skip
            elif mode == "machine":
                wrapping = load_machine_key(self.machine_key_path)
            else:
                raise self._corrupt()
            nonce, wrapped = (
                unb64(str(header["nonce"])),
                unb64(str(header["wrapped"])),
            )
        except (KeyError, ValueError):
            raise self._corrupt() from None
        try:
            return AESGCM(wrapping).decrypt(nonce, wrapped, header_aad(header))
        except InvalidTag:
            if mode == "scrypt":
                raise VaultLocked(
                    f"wrong passphrase for {self.path} (or its key header was modified)"
                ) from None
            raise VaultCorrupt(
                f"{self.path} cannot be opened with this machine's key "
                f"({self.machine_key_path}): it was made elsewhere or modified"
            ) from None

    def _save(self, state: _State) -> None:
        document = {"format": FORMAT, "version": VERSION, "key": state.header,
                    "entries": state.entries}  # fmt: skip
        from keyguard.atomic import write_atomic_str

        body = json.dumps(document, sort_keys=True, separators=(",", ":")).encode()
        write_atomic_str(
            self.path, body + b"\n" + body_mac(state.data_key, body).hex().encode() + b"\n"
        )
        self._cache = None


class _State:
    """A decrypted view of the vault: header, entries (values still sealed), data key."""

    def __init__(
        self, header: dict[str, object], entries: dict[str, dict[str, object]], data_key: bytes,
        vault: FileVault,
    ) -> None:  # fmt: skip
        self.header = header
        self.entries = entries
        self.data_key = data_key
        self._vault = vault

    def seal(self, name: str, slot: str, value: str) -> dict[str, str]:
        return sealing.seal(self.data_key, name, slot, value)

    def open(self, name: str, slot: str, sealed: object) -> str:
        try:
            return sealing.unseal(self.data_key, name, slot, sealed)
        except ValueError:
            raise self._vault._corrupt() from None
