"""What the file vault's format is made of: encodings, associated data, the MAC, the KDF, the
sealing of one value, and the checks on private files (mode 0600, owned by the user).

Kept apart from ``file.py`` (the backend: locking, reading, writing) so the cryptography can
be read in one place.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat

from keyguard.errors import InsecureVault
from keyguard.errors import VaultCorrupt

FORMAT = "keyguard-vault"
VERSION = 1
SCRYPT_N = 1 << 17  # about 0.4 s on a current core; stored in the header, so it can grow
SCRYPT_R = 8
SCRYPT_P = 1


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


def check_private(fd: int, path: str) -> None:
    """Refuse a file others can read or write, or that another user owns (as OpenSSH does)."""
    st = os.fstat(fd)
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise InsecureVault(
            f"{path} is owned by another user (uid {st.st_uid}): refusing to use it"
        )
    if os.name == "posix" and st.st_mode & 0o077:
        mode = stat.S_IMODE(st.st_mode)
        raise InsecureVault(
            f"{path} is accessible by others (mode {mode:04o}): run `chmod 600 {path}`"
        )


def load_machine_key(path: str) -> bytes:
    """The random 32-byte machine key, created (mode 0600) on first use."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return load_machine_key(path)
        key = os.urandom(32)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        return key
    try:
        check_private(fd, path)
        key = os.read(fd, 64)
    finally:
        os.close(fd)
    if len(key) != 32:
        raise VaultCorrupt(f"{path} is not a keyguard machine key (expected 32 bytes)")
    return key


def header_aad(header: dict[str, object]) -> bytes:
    fixed = {k: v for k, v in header.items() if k not in {"nonce", "wrapped"}}
    return f"{FORMAT}/v{VERSION} key ".encode() + json.dumps(fixed, sort_keys=True).encode()


def entry_aad(name: str, slot: str) -> bytes:
    return f"{FORMAT}/v{VERSION} entry {name} {slot}".encode()


def mac(data_key: bytes, body: bytes) -> bytes:
    mac_key = hmac.new(data_key, b"keyguard vault mac", hashlib.sha256).digest()
    return hmac.new(mac_key, body, hashlib.sha256).digest()


def scrypt(phrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(phrase.encode())


def seal(data_key: bytes, name: str, slot: str, value: str) -> dict[str, str]:
    """AES-256-GCM with a fresh nonce; the name and slot are the associated data."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(data_key).encrypt(nonce, value.encode(), entry_aad(name, slot))
    return {"nonce": b64(nonce), "ct": b64(sealed)}


def unseal(data_key: bytes, name: str, slot: str, sealed: object) -> str:
    """The value; ``ValueError`` when it was not sealed under this key, name and slot."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not isinstance(sealed, dict):
        raise ValueError("not a sealed value")
    try:
        nonce, ct = unb64(sealed["nonce"]), unb64(sealed["ct"])
        return AESGCM(data_key).decrypt(nonce, ct, entry_aad(name, slot)).decode()
    except (InvalidTag, KeyError) as exc:
        raise ValueError("not sealed under this key, name and slot") from exc
