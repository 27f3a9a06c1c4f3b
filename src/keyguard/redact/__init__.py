"""Keep secret values out of logs, tracebacks, warnings and streams.

    import keyguard.redact
    r = keyguard.redact.install()          # logging, excepthooks, warnings; returns the Redactor
    r.add(api_key, "anthropic/default")    # known values, matched raw, encoded and by fragment

``install()`` also registers environment variables whose names or values look secret.
``uninstall()`` restores everything; ``installed()`` is a context manager for tests.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from collections.abc import Mapping

from keyguard.redact import patches
from keyguard.redact.integrations import RedactingFilter
from keyguard.redact.integrations import sentry_options
from keyguard.redact.integrations import structlog_processor
from keyguard.redact.patches import active
from keyguard.redact.patches import uninstall
from keyguard.redact.redactor import Redactor
from keyguard.redact.stream import wrap_stream

_SECRET_NAME = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH")


def secrets_in_environment(environ: Mapping[str, str], redactor: Redactor) -> dict[str, str]:
    """Variables whose name says secret (``*_API_KEY``, ``*_TOKEN`` …) or whose value a rule
    recognises as a key."""
    found = {}
    for name, value in environ.items():
        if len(value) < 8 or value.startswith("keyguard://"):
            continue
        upper = name.upper()
        named = any(word in upper for word in _SECRET_NAME) and not upper.endswith(
            ("_PATH", "_FILE", "_URL_BASE")
        )
        if named or redactor.redact(value) != value:
            found[name] = value
    return found


def install(
    values: Mapping[str, str] | None = None,
    *,
    environment: bool = True,
    patterns: bool = True,
    marker: str = "[REDACTED:{name}]",
) -> Redactor:
    """Install a Redactor process-wide and return it (an existing one is replaced)."""
    redactor = Redactor(values, patterns=patterns, marker=marker)
    if environment:
        found = secrets_in_environment(os.environ, redactor)
        redactor.update({k: v for k, v in found.items() if not v.lstrip().startswith(("{", "["))})
    return patches.install(redactor)


@contextlib.contextmanager
def installed(values: Mapping[str, str] | None = None, **options: bool) -> Iterator[Redactor]:
    redactor = install(values, **options)  # type: ignore[arg-type]
    try:
        yield redactor
    finally:
        uninstall()


__all__ = [
    "RedactingFilter",
    "Redactor",
    "active",
    "install",
    "installed",
    "sentry_options",
    "structlog_processor",
    "uninstall",
    "wrap_stream",
]
