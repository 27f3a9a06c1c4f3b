"""Configuration: ``.keyguard.toml`` or ``[tool.keyguard]`` in ``pyproject.toml``, as frozen data.

Read once at the top (the CLI) and passed down; nothing here is global.  Errors name the file
and the key, for example ``pyproject.toml: tool.keyguard.rules[1].pattern: …``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from keyguard.errors import ConfigError
from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

CONFIDENCE_NAMES = ("high", "medium", "low")


class RuleSpec(Record):
    """A user rule as written in configuration; ``where`` names it for error messages."""

    __slots__ = (
        "id", "pattern", "keywords", "where", "provider", "description", "confidence",
        "remediation", "min_entropy", "anchored",
    )  # fmt: skip
    id: str
    pattern: str
    keywords: tuple[str, ...]
    where: str
    provider: str
    description: str
    confidence: str
    remediation: str
    min_entropy: float
    anchored: bool

    def __init__(
        self,
        id: str,
        pattern: str,
        keywords: tuple[str, ...],
        where: str,
        provider: str = "custom",
        description: str = "",
        confidence: str = "medium",
        remediation: str = "",
        min_entropy: float = 0.0,
        anchored: bool = False,
    ) -> None:
        fill(self, locals())


class Settings(Record):
    """Settings read from one file (``source``), or the defaults."""

    __slots__ = ("source", "exclude", "disable", "min_confidence", "rules")
    source: str | None
    exclude: tuple[str, ...]
    disable: tuple[str, ...]
    min_confidence: str
    rules: tuple[RuleSpec, ...]

    def __init__(
        self,
        source: str | None = None,
        exclude: tuple[str, ...] = (),
        disable: tuple[str, ...] = (),
        min_confidence: str = "low",
        rules: tuple[RuleSpec, ...] = (),
    ) -> None:
        fill(self, locals())


def find_config(start: str) -> str | None:
    """The nearest ``.keyguard.toml``, or ``pyproject.toml`` with a ``[tool.keyguard]`` table,
    searching from ``start`` up to the repository root."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, ".keyguard.toml")
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            with open(candidate, "rb") as stream:
                if b"[tool.keyguard" in stream.read():
                    return candidate
        parent = os.path.dirname(folder)
        if os.path.exists(os.path.join(folder, ".git")) or parent == folder:
            return None
        folder = parent


def parse_toml(text: str) -> dict[str, Any]:
    """``tomllib.loads`` (``tomli`` before Python 3.11); invalid TOML raises ``ValueError``."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib.loads(text)


def load_settings(path: str | os.PathLike[str] | None) -> Settings:
    if path is None:
        return Settings()
    try:
        with open(path, encoding="utf-8") as stream:
            document = parse_toml(stream.read())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError as exc:  # TOMLDecodeError, UnicodeDecodeError
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if os.path.basename(path) == "pyproject.toml":
        table = document.get("tool", {}).get("keyguard", {})
        prefix = "tool.keyguard"
    else:
        table, prefix = document, ""
    return parse_settings(table, os.fspath(path), prefix)


def parse_settings(table: Mapping[str, Any], source: str, prefix: str = "") -> Settings:
    def key(name: str) -> str:
        return f"{source}: {prefix + '.' if prefix else ''}{name}"

    known = {"exclude", "disable", "min_confidence", "rules", "pytest", "vault", "migrate"}
    for name in table:
        if name not in known:
            raise ConfigError(f"{key(name)}: unknown setting (known: {', '.join(sorted(known))})")
    exclude = _strings(table.get("exclude", []), key("exclude"))
    disable = _strings(table.get("disable", []), key("disable"))
    min_confidence = table.get("min_confidence", "low")
    if min_confidence not in CONFIDENCE_NAMES:
        raise ConfigError(f"{key('min_confidence')}: must be one of high, medium, low")
    raw_rules = table.get("rules", [])
    if not isinstance(raw_rules, list):
        raise ConfigError(f"{key('rules')}: must be an array of tables ([[...rules]])")
    rules = tuple(_rule(raw, key(f"rules[{i}]")) for i, raw in enumerate(raw_rules))
    return Settings(source, exclude, disable, min_confidence, rules)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return tuple(value)


def _rule(raw: object, where: str) -> RuleSpec:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table")
    fields = set(RuleSpec.__slots__) - {"where"}
    for name in raw:
        if name not in fields:
            raise ConfigError(f"{where}.{name}: unknown rule field")
    for required in ("id", "pattern", "keywords"):
        if required not in raw:
            raise ConfigError(f"{where}.{required}: missing")
    for name in ("id", "pattern", "provider", "description", "confidence", "remediation"):
        if name in raw and not isinstance(raw[name], str):
            raise ConfigError(f"{where}.{name}: must be a string")
    keywords = _strings(raw["keywords"], f"{where}.keywords")
    if not keywords or any(not k for k in keywords):
        raise ConfigError(f"{where}.keywords: needs at least one non-empty literal keyword")
    if raw.get("confidence", "medium") not in CONFIDENCE_NAMES:
        raise ConfigError(f"{where}.confidence: must be one of high, medium, low")
    entropy = raw.get("min_entropy", 0.0)
    if not isinstance(entropy, (int, float)) or isinstance(entropy, bool):
        raise ConfigError(f"{where}.min_entropy: must be a number")
    anchored = raw.get("anchored", False)
    if not isinstance(anchored, bool):
        raise ConfigError(f"{where}.anchored: must be true or false")
    values = {k: v for k, v in raw.items() if k not in {"keywords", "min_entropy"}}
    return RuleSpec(**values, keywords=keywords, min_entropy=float(entropy), where=where)
