"""Keyed fingerprints: HMAC-SHA256 with a key that never leaves this machine.

A finding, a baseline entry and a vault manifest entry name a secret by fingerprint, never by
value and never by a plain hash (which anyone could test guesses against).
"""

from __future__ import annotations

import os

KEY_BYTES = 32


def fingerprint(key: bytes, value: bytes) -> str:
    """The first 128 bits of HMAC-SHA256(key, value), in hex."""
    import hashlib  # deferred: loading OpenSSL costs ~2 ms, needed only when there are findings
    import hmac

    return hmac.new(key, value, hashlib.sha256).hexdigest()[:32]


def salted_fingerprint(salt: bytes, value: bytes) -> str:
    """For baselines that travel with a repository: SHA-256 over salt and value."""
    import hashlib

    return hashlib.sha256(salt + b"\0" + value).hexdigest()[:32]


def load_or_create_key(path: str) -> bytes:
    """Read the machine's fingerprint key, creating it (mode 0600) on first use."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except FileNotFoundError:
        pass
    else:
        if len(data) == KEY_BYTES:
            return data
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    key = os.urandom(KEY_BYTES)
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # first writer wins; a concurrent scan reads the winner's key
    except FileExistsError:
        os.unlink(tmp)
        return load_or_create_key(path)
    os.unlink(tmp)
    return key
