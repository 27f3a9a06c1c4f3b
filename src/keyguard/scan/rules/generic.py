"""Secret-named assignments (``*_API_KEY=``, ``*_TOKEN=``, ``password:`` …), the last resort.

Gated by entropy, a digit-and-letter mix and the placeholder filters, and deferring to every
provider rule: a value that starts with a provider prefix is judged by that provider's rule only.
"""

from __future__ import annotations

import re

from keyguard.lazyre import lazy
from keyguard.scan.rules._base import LINE
from keyguard.scan.rules._base import Rule
from keyguard.scan.rules.checks import char_classes

_UUID = lazy(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX = lazy(rb"[0-9a-fA-F]+")
_WORDS = lazy(rb"passw|secret|token|api_?key|arn:|bearer", re.IGNORECASE)
_CAMEL_NAME = lazy(
    rb"[a-z]{2,}(?:[A-Z0-9]*[A-Z][a-z]{2,})*[A-Z0-9]*|(?:[A-Z0-9]*[A-Z][a-z]{2,})+[A-Z0-9]*"
)
_VERSIONED = lazy(rb"[-_]v?\d+(?:\.\d+)+$")
_SEPARATED = lazy(rb"[a-z]{3,}[_/.\-][a-z0-9]")
_LOWER_RUN = lazy(rb"[a-z]{3,}")
_DOTTED_NAME = lazy(rb"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+")

_NAME = (
    r"(?P<name>[A-Za-z0-9_.\-]{0,40}?"
    r"(?i:api[_.\-]?key|apikey|access[_.\-]?key|secret[_.\-]?key|private[_.\-]?key|auth[_.\-]?key"
    r"|client[_.\-]?secret|secret|token|passw(?:or)?d|pwd|credentials?|auth(?![a-z]))"
    r"[A-Za-z0-9_.\-]{0,20})"
)
# Names that hold identifiers, paths or settings rather than secrets.
_NOT_SECRET_NAME = lazy(
    rb"(?:_id|_ids|id|name|names|file|path|dir|url|uri|endpoint|type|length|len|size|count|"
    rb"limit|prefix|header|field|env|var|ref|hash|expir\w*|ttl|timeout|version|format|mode|"
    rb"policy|regex|pattern|label|hint|input|tokens|secrets|max[_\-]?\w*|min[_\-]?\w*|digest|"
    rb"checksum|sha\d*|integrity|etag|fingerprint|provider|method|scheme|store|manager)$"
    rb"|^(?:csrf|xsrf|public|next|page|continuation|sync|cancel|cancellation|refresh_?url)"
    rb"|^(?:hashed|hash|sha\d*|digest|checksum|salted)[_\-.]"
    rb"|(?:change|lock|next|page|pagination|continuation|request|idempotency|copy\w*|verification"
    rb"|sync|cancel\w*|csrf|xsrf|public|input|output|start|marker|session_?state)[_\-.]?token"
    rb"|(?:tokenizer|tokenize|token_type|token_count)",
    re.IGNORECASE,
)
_VALUE = r"(?P<secret>[A-Za-z0-9+/=_\-.~!@#%^*]{12,200})"


def generic_value_ok(secret: bytes) -> bool:
    """Looks random: letters and digits mixed, few dots (not a host or a version)."""
    digits, upper, lower = char_classes(secret)
    if upper + lower < 4:
        return False
    if digits < 1 and not (secret.isalpha() and 0.2 <= upper / (upper + lower) <= 0.8):
        return False  # CONSTANT_NAMES, TypeNames, paths and words: random letters are mixed
    if _UUID.fullmatch(secret) or _WORDS.search(secret):
        return False
    if _HEX.fullmatch(secret) and len(secret) < 32:
        return False
    if secret.count(b".") > 2 or secret.startswith((b"/", b".", b"-")):
        return False
    if _wordy(secret) and (_CAMEL_NAME.fullmatch(secret) or _SEPARATED.search(secret)):
        return False  # PKCS7PrivateKeyTypes, s3_session_auth, mock_key/2022/us-east-1: names
    if _DOTTED_NAME.fullmatch(secret):
        return False  # process.env.X, settings.api_key, self.token
    if _VERSIONED.search(secret):
        return False  # io.example:artifact-1.2.3
    return re.fullmatch(rb"[0-9.]+", secret) is None


def _wordy(secret: bytes) -> bool:
    """Half or more of the characters sit in lower-case runs of three or more, as in words."""
    return sum(len(run) for run in _LOWER_RUN.findall(secret)) * 2 >= len(secret)


def generic_name_ok(name: bytes) -> bool:
    return _NOT_SECRET_NAME.search(name) is None


_KEYWORDS = tuple(
    variant
    for word in (
        "api_key",
        "apikey",
        "api-key",
        "access_key",
        "secret",
        "token",
        "password",
        "passwd",
        "pwd",
        "private_key",
        "client_secret",
        "auth_key",
        "credential",
        "_auth",
    )
    for variant in {word, word.upper(), word.capitalize(), word.replace("_", "").capitalize()}
) + ("apiKey", "ApiKey", "accessKey", "secretKey", "clientSecret", "authToken", "accessToken")

RULES: tuple[Rule, ...] = (
    Rule(
        id="generic-secret-assignment",
        provider="generic",
        description="High-entropy value assigned to a secret-named variable or key",
        pattern=r"(?m)(?:^|(?<=[\s{(\[,;.\-$'\"]))(?P<q>['\"])?"
        + _NAME
        + r"(?(q)(?P=q)\s*|(?:\s*:\s*(?:str|string|String))?\s*(?:string\s*)?)"
        + r"(?:=|:=|::=|:::=|\.=|:|=>|\?=)\s*['\"`]?"
        + _VALUE
        + r"(?=['\"`\s;,)}\]]|\\[nrt]|$)",
        keywords=tuple(dict.fromkeys(_KEYWORDS)),
        window=LINE,
        confidence="low",
        remediation="Rotate the credential where it was issued and keep it out of the file.",
        min_entropy=3.5,
        check=generic_value_ok,
        name_check=generic_name_ok,
        defer_to_prefixed=True,
        priority=90,
        shape="`NAME = value` where NAME contains api_key, token, secret, password …; the value "
        "has 12 or more characters, entropy ≥ 3.5 bits, letters and at least two digits",
    ),
)
