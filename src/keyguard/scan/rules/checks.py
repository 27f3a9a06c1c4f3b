"""Structure checks shared by rules: checksums, markers, entropy and placeholder filters."""

from __future__ import annotations

import math
import re
import time
import zlib
from collections import Counter

from keyguard.lazyre import lazy

_BASE62 = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def shannon_entropy(data: bytes) -> float:
    """Shannon entropy in bits per byte."""
    if not data:
        return 0.0
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in Counter(data).values())


def base62(number: int, width: int) -> bytes:
    out = bytearray()
    while number:
        number, rem = divmod(number, 62)
        out.append(_BASE62[rem])
    return bytes(reversed(out)).rjust(width, b"0")


def crc32_base62(body: bytes) -> bytes:
    """GitHub and npm token checksum: CRC-32 of the random part, base62, six characters."""
    return base62(zlib.crc32(body), 6)


def github_classic_checksum_ok(token: bytes) -> bool:
    """``ghp_`` and friends: the last six characters are the CRC-32 of the rest of the body."""
    body = token[4:]
    return crc32_base62(body[:-6]) == body[-6:]


def npm_checksum_ok(token: bytes) -> bool:
    body = token[4:]
    return crc32_base62(body[:-6]) == body[-6:]


def github_fine_grained_checksum_ok(token: bytes) -> bool:
    """``github_pat_``: 8 base32 characters of SHA-256 over prefix and body follow the body."""
    body, checksum = token[:77], token[77:85]
    import base64
    import hashlib

    expected = base64.b32encode(hashlib.sha256(body).digest())[:8]
    return checksum.upper() == expected


_SEQUENCES = (
    b"abcdefghijklmnopqrstuvwxyz",
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    b"0123456789",
    b"zyxwvutsrqponmlkjihgfedcba",
    b"9876543210",
)
_PLACEHOLDER_WORDS_CI = (
    b"example",
    b"sample",
    b"dummy",
    b"placeholder",
    b"your_",
    b"your-",
    b"yourkey",
    b"changeme",
    b"redacted",
    b"notreal",
    b"not_real",
    b"not-a-real",
    b"****",
    b"...",
    b"\xe2\x80\xa6",  # the ellipsis character
    b"1234567890abcdef",
    b"a1b2c3",
    b"abcd1234",
    b"0000000000000000",
)
_PLACEHOLDER_WORDS_CS = (
    b"xxxx",
    b"XXXX",
    b"fake",
    b"FAKE",
    b"Fake",
    b"test_key",
    b"TEST_KEY",
    b"insert",
    b"INSERT",
)
_TEMPLATE = lazy(rb"\$\{|\$\(|\{\{|<[A-Za-z_ -]+>|%[A-Z_]+%|@[A-Z_]+@|^\$[A-Za-z_]")
_REPEAT = lazy(rb"(.)\1{6,}")


def _has_sequence(data: bytes, run: int = 8) -> bool:
    for seq in _SEQUENCES:
        for i in range(len(seq) - run + 1):
            if seq[i : i + run] in data:
                return True
    return False


def looks_like_placeholder(secret: bytes) -> bool:
    """detectors.md §5: documented-example, template, masked, repeated and sequential values."""
    lowered = secret.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS_CI):
        return True
    if any(word in secret for word in _PLACEHOLDER_WORDS_CS):
        return True
    if _TEMPLATE.search(secret):
        return True
    if _REPEAT.search(secret):
        return True
    return _has_sequence(secret)


def char_classes(secret: bytes) -> tuple[int, int, int]:
    """Counts of (digits, upper-case, lower-case) characters."""
    digits = upper = lower = 0
    for byte in secret:
        if 48 <= byte <= 57:
            digits += 1
        elif 65 <= byte <= 90:
            upper += 1
        elif 97 <= byte <= 122:
            lower += 1
    return digits, upper, lower


class mixed_case:  # noqa: N801 - reads as a function in the rule tables
    """Check: at least this many upper-case letters, lower-case letters and digits."""

    __slots__ = ("min_digits", "min_lower", "min_upper")

    def __init__(self, min_upper: int, min_lower: int, min_digits: int = 0) -> None:
        self.min_upper, self.min_lower, self.min_digits = min_upper, min_lower, min_digits

    def __repr__(self) -> str:
        return f"mixed_case({self.min_upper}, {self.min_lower}, {self.min_digits})"

    def __call__(self, secret: bytes) -> bool:
        digits, upper, lower = char_classes(secret)
        return upper >= self.min_upper and lower >= self.min_lower and digits >= self.min_digits


def _b64url_json(segment: bytes) -> object:
    import base64
    import json

    padded = segment + b"=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded))


def jwt_is_sensitive(token: bytes, now: float | None = None) -> bool:
    """Report a JWT only when it is a service key or long-lived and not expired."""
    parts = token.split(b".")
    if len(parts) != 3:
        return False
    try:
        header = _b64url_json(parts[0])
        payload = _b64url_json(parts[1])
    except ValueError:  # binascii.Error is a ValueError
        return False
    if not isinstance(header, dict) or "alg" not in header or not isinstance(payload, dict):
        return False
    role = str(payload.get("role", ""))
    if role in {"anon", "authenticated"}:
        return False
    if role in {"service_role", "supabase_admin", "admin"}:
        return True
    exp = payload.get("exp")
    if exp is None:
        return True  # never expires
    if not isinstance(exp, (int, float)):
        return False
    current = time.time() if now is None else now
    if exp < current:
        return False
    iat = payload.get("iat")
    start = iat if isinstance(iat, (int, float)) else current
    return exp - start >= 30 * 86400


def pem_body_ok(block: bytes) -> bool:
    """A private-key block with a real body: at least 100 base64 characters of DER or OpenSSH."""
    body = re.sub(rb"\\[nr]|\s|[A-Za-z-]+: [^\n\\]*", b"", block.split(b"-----", 2)[-1])
    body = body.split(b"-----END", 1)[0]
    if len(body) < 100:
        return False
    if b"PGP PRIVATE KEY BLOCK" in block:
        return shannon_entropy(body) > 4.5
    return body.startswith((b"MI", b"b3BlbnNzaC1rZXktdjE")) and shannon_entropy(body) > 4.5


_IDENTIFIER = lazy(rb"(?:[A-Z]?[a-z]{3,}|[A-Z]{2,6}(?=[A-Z][a-z]|_|[0-9]|$)|_)+[0-9]{0,4}")


class random_looking:  # noqa: N801 - reads as a function in the rule tables
    """Check: enough upper- and lower-case letters, and not a camelCase or snake_case name."""

    __slots__ = ("min_lower", "min_upper")

    def __init__(self, min_upper: int, min_lower: int) -> None:
        self.min_upper, self.min_lower = min_upper, min_lower

    def __repr__(self) -> str:
        return f"random_looking({self.min_upper}, {self.min_lower})"

    def __call__(self, secret: bytes) -> bool:
        _, upper, lower = char_classes(secret)
        if upper < self.min_upper or lower < self.min_lower:
            return False
        if upper > 0.3 * (upper + lower):
            return True  # names are mostly lower case; random text is half upper case
        body = secret.split(b"_", 1)[-1] if secret[:4].count(b"_") else secret
        return _IDENTIFIER.fullmatch(body) is None


def not_hex_only(secret: bytes) -> bool:
    return re.fullmatch(rb"[0-9a-f]+", secret) is None
