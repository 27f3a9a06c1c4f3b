"""``keyguard.dotenv.load()``: read a ``.env`` file into ``os.environ``, resolving
``keyguard://<provider>/<alias>`` references from the vault (as ``op run --env-file`` does)."""

from __future__ import annotations

import os
import re

from keyguard.config import VaultConfig
from keyguard.config import read_vault
from keyguard.errors import InputError
from keyguard.redact.patches import active
from keyguard.vault import open_vault

REFERENCE = "keyguard://"
_LINE = re.compile(
    r"""^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)\s*=\s*"""
    r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|(?P<bare>[^#\r\n]*?))\s*(?:\#.*)?$"""
)


def parse(text: str, source: str = ".env") -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _LINE.match(line)
        if m is None:
            raise InputError(f"{source}:{number}: not a KEY=value line")
        if m.group("dq") is not None:
            value = re.sub(r"\\(.)", lambda e: {"n": "\n", "t": "\t"}.get(e.group(1), e.group(1)),
                           m.group("dq"))  # fmt: skip
        elif m.group("sq") is not None:
            value = m.group("sq")
        else:
            value = m.group("bare").strip()
        values[m.group("key")] = value
    return values


def resolve(values: dict[str, str], config: VaultConfig) -> dict[str, str]:
    """Replace ``keyguard://NAME`` values with the secrets, opening the vault once."""
    references = {k: v[len(REFERENCE) :] for k, v in values.items() if v.startswith(REFERENCE)}
    if not references:
        return dict(values)
    vault = open_vault(config)
    resolved = dict(values)
    for key, name in references.items():
        resolved[key] = vault.get(name)
    redactor = active()
    if redactor is not None:  # an installed redaction layer learns what was resolved
        redactor.update(
            {name: resolved[key] for key, name in references.items() if len(resolved[key]) >= 8}
        )
    return resolved


def load(path: str = ".env", *, override: bool = False) -> dict[str, str]:
    """Load ``path`` into ``os.environ`` (existing variables win unless ``override``) and
    return what was loaded.  Values are never logged."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    loaded = parse(text, path)
    if any(value.startswith(REFERENCE) for value in loaded.values()):
        loaded = resolve(loaded, read_vault(os.environ))  # the edge: configuration read here
    for key, value in loaded.items():
        if override or key not in os.environ:
            os.environ[key] = value
    return loaded
