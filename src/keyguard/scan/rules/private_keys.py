"""Structured credentials: PEM private keys, JWTs and database URLs with passwords."""

from __future__ import annotations

from keyguard.lazyre import lazy
from keyguard.scan.rules._base import Rule
from keyguard.scan.rules._base import Window
from keyguard.scan.rules.checks import jwt_is_sensitive
from keyguard.scan.rules.checks import pem_body_ok

_PLACEHOLDER_PASSWORDS = frozenset(
    {
        b"password",
        b"passwd",
        b"pass",
        b"secret",
        b"root",
        b"admin",
        b"user",
        b"postgres",
        b"mysql",
        b"redis",
        b"guest",
        b"test",
        b"changeme",
        b"your_password",
        b"yourpassword",
        b"mypassword",
        b"replace_with_password",
    }
)
_VARIABLE = lazy(rb"^\$|^%[A-Za-z_]+%$|^\{.*\}$|^<.*>$")


def db_password_ok(password: bytes) -> bool:
    """A real-looking password: not a placeholder, a variable or a run of one character."""
    if len(password) < 4 or password.lower() in _PLACEHOLDER_PASSWORDS:
        return False
    if _VARIABLE.search(password) or len(set(password)) <= 2:
        return False
    return not password.startswith((b"${", b"$(", b"{{"))


RULES: tuple[Rule, ...] = (
    Rule(
        id="private-key",
        provider="pem",
        description="Private key (PEM: RSA, EC, DSA, OpenSSH, PKCS#8, PGP)",
        pattern=r"(?P<public>-----BEGIN[ A-Z0-9_\-]{0,40}PRIVATE KEY(?: BLOCK)?-----)"
        + r"(?:\\[nr]|[A-Za-z0-9+/=\s\"',]|[A-Za-z\-]+: [^\n\\]*){64,}?"
        + r"-----END[ A-Z0-9_\-]{0,40}PRIVATE KEY(?: BLOCK)?-----",
        keywords=("-----BEGIN",),
        window=Window(before=0, after=16384, line=False),
        confidence="high",
        remediation="Generate a new key pair, replace the public key wherever it is trusted, "
        "and delete the old private key.",
        check=pem_body_ok,
        placeholder_filter=False,
        priority=8,
        shape="`-----BEGIN … PRIVATE KEY-----` block whose body is real DER or OpenSSH data",
    ),
    Rule(
        id="jwt",
        provider="jwt",
        description="JSON Web Token that is long-lived or a service key (decoded: exp, role)",
        pattern=r"(?<![A-Za-z0-9_\-])(?P<public>eyJ)[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}"
        + r"\.[A-Za-z0-9_\-]{16,}(?![A-Za-z0-9_\-.])",
        keywords=("eyJ",),
        confidence="medium",
        remediation="Revoke the token (or its signing key) at the issuer; issue short-lived ones.",
        check=jwt_is_sensitive,
        placeholder_filter=False,
        priority=45,
        shape="`eyJ…`.`eyJ…`.signature whose payload has no `exp`, lives 30 days or more, or has "
        "a service role",
    ),
    Rule(
        id="database-url",
        provider="database",
        description="Database connection URL with a password",
        pattern=r"(?<![A-Za-z0-9+])(?P<public>(?:postgres(?:ql)?|postgis|mysql|mariadb|mssql"
        + r"|sqlserver|mongodb(?:\+srv)?|rediss?|amqps?|clickhouse|cockroachdb)://)"
        + r"[^:@/\s'\"`<>{}$]{1,64}:(?P<secret>[^@/\s'\"`<>]{1,128})@[A-Za-z0-9.\-_\[\]]+",
        keywords=(
            "postgres://",
            "postgresql://",
            "postgis://",
            "mysql://",
            "mariadb://",
            "mssql://",
            "sqlserver://",
            "mongodb://",
            "mongodb+srv://",
            "redis://",
            "rediss://",
            "amqp://",
            "amqps://",
            "clickhouse://",
            "cockroachdb://",
        ),
        confidence="high",
        remediation="Change the database user's password and read the URL from the environment.",
        check=db_password_ok,
        priority=20,
        env_var="DATABASE_URL",
        shape="`scheme://user:password@host` for Postgres, MySQL, MongoDB, Redis, AMQP and others",
    ),
)
