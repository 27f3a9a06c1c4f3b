"""Configuration as frozen data, read once at an edge and passed down; nothing here is global.

* ``scan`` (:class:`Settings`): ``.keyguard.toml`` or ``[tool.keyguard]`` in ``pyproject.toml``.
* ``vault`` (:class:`VaultConfig`): the backend choice and where it came from
  (``--backend``, ``KEYGUARD_BACKEND``, ``[vault]`` of the user config), the OpenBao mount and
  prefix, every file of the vault, and where a passphrase comes from.
* ``pytest`` (:class:`PytestConfig`): ``[tool.keyguard.pytest]``.

The edges are the CLI, the pytest plug-in, ``keyguard.dotenv.load()`` and ``keyguard redact``;
below them nothing reads the environment or a configuration file.  Errors name the file and
the key, for example ``pyproject.toml: tool.keyguard.rules[1].pattern: …``.  ``keyguard env``
runs at every shell start: the vault section is a slotted :class:`Record` (no ``dataclasses``
or ``typing`` import) and only a user config that exists is parsed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from collections.abc import Mapping

from keyguard import paths
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


class VaultConfig(Record):
    """The vault section: which backend and why, its settings and files, the passphrase source.

    ``source`` is ``--backend``, ``KEYGUARD_BACKEND``, the user config's path, or empty for the
    default ``auto``.  ``environ`` is the environment the edge read, for the backends whose
    data it is (``env``; ``openbao``'s address and token); ``repr`` never shows it.
    """

    __slots__ = (
        "backend", "source", "mount", "prefix", "config_file", "data_dir", "vault_file",
        "machine_key", "manifest", "audit_log", "fingerprint_key", "passphrase", "environ",
    )  # fmt: skip
    backend: str
    source: str
    mount: str
    prefix: str
    config_file: str
    data_dir: str
    vault_file: str
    machine_key: str
    manifest: str
    audit_log: str
    fingerprint_key: str
    passphrase: Callable[[], str | None]
    environ: Mapping[str, str]

    def __init__(
        self,
        backend: str,
        source: str,
        mount: str,
        prefix: str,
        config_file: str,
        data_dir: str,
        vault_file: str,
        machine_key: str,
        manifest: str,
        audit_log: str,
        fingerprint_key: str,
        passphrase: Callable[[], str | None],
        environ: Mapping[str, str],
    ) -> None:
        fill(self, locals())

    def __repr__(self) -> str:  # the environment holds secrets: never shown
        shown = f"backend={self.backend!r}, source={self.source!r}, data_dir={self.data_dir!r}"
        return f"VaultConfig({shown})"


def passphrase_source(environ: Mapping[str, str]) -> Callable[[], str | None]:
    """``KEYGUARD_PASSPHRASE`` from ``environ``, else a no-echo prompt on a terminal, else None
    (the machine key unlocks the vault file); asked only when the file vault needs it."""

    def passphrase() -> str | None:
        phrase = environ.get("KEYGUARD_PASSPHRASE")
        if phrase:
            return phrase
        if sys.stdin.isatty() and sys.stderr.isatty():
            import getpass

            prompt = (
                "passphrase for the keyguard vault file (empty: this machine's key unlocks it): "
            )
            return getpass.getpass(prompt) or None
        return None

    return passphrase


def _user_vault_table(path: str) -> dict[str, str]:
    if not os.path.isfile(path):
        return {}
    try:
        with open(path, encoding="utf-8") as stream:
            table = parse_toml(stream.read()).get("vault", {})
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [vault] must be a table")
    return {str(k): str(v) for k, v in table.items()}


def read_vault(environ: Mapping[str, str], backend: str | None = None) -> VaultConfig:
    """The vault section from ``environ`` and the user config: ``backend`` (``--backend``)
    wins over ``KEYGUARD_BACKEND``, which wins over ``[vault] backend``; else ``auto``."""
    config_file = paths.config_file(environ)
    table = _user_vault_table(config_file)
    if backend:
        source = "--backend"
    elif environ.get("KEYGUARD_BACKEND"):
        backend, source = environ["KEYGUARD_BACKEND"], "KEYGUARD_BACKEND"
    elif table.get("backend"):
        backend, source = table["backend"], config_file
    else:
        backend, source = "auto", ""
    return VaultConfig(
        backend=backend,
        source=source,
        mount=table.get("mount", "secret"),
        prefix=table.get("prefix", "keyguard"),
        config_file=config_file,
        data_dir=paths.data_dir(environ),
        vault_file=paths.vault_file(environ),
        machine_key=paths.machine_key(environ),
        manifest=paths.manifest(environ),
        audit_log=paths.audit_log(environ),
        fingerprint_key=paths.fingerprint_key(environ),
        passphrase=passphrase_source(environ),
        environ=environ,
    )


class PytestConfig(Record):
    """``[tool.keyguard.pytest]``: ``secrets`` maps names to variables; ``require`` fails
    (instead of skipping) tests whose secrets are unavailable."""

    __slots__ = ("secrets", "require")
    secrets: tuple[tuple[str, str], ...]
    require: bool

    def __init__(self, secrets: tuple[tuple[str, str], ...] = (), require: bool = False) -> None:
        fill(self, locals())


def read_pytest(path: str | None) -> PytestConfig:
    """The pytest section of ``pyproject.toml`` at ``path`` (None: the defaults)."""
    if path is None or os.path.basename(path) != "pyproject.toml":
        return PytestConfig()
    try:
        with open(path, encoding="utf-8") as stream:
            document = parse_toml(stream.read())
        table = document.get("tool", {}).get("keyguard", {}).get("pytest", {})
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: [tool.keyguard.pytest] cannot be read: {exc}") from None
    mapping = table.get("secrets", {})
    if not isinstance(mapping, dict) or not all(isinstance(v, str) for v in mapping.values()):
        raise ConfigError(f"{path}: tool.keyguard.pytest.secrets must map names to variables")
    return PytestConfig(
        tuple((str(k), v) for k, v in mapping.items()), bool(table.get("require", False))
    )


class Config(Record):
    """The whole configuration of one run: ``scan``, ``vault`` and ``pytest`` sections."""

    __slots__ = ("scan", "vault", "pytest")
    scan: Settings
    vault: VaultConfig
    pytest: PytestConfig

    def __init__(self, scan: Settings, vault: VaultConfig, pytest: PytestConfig) -> None:
        fill(self, locals())


def read_config(
    environ: Mapping[str, str], *, project: str | None = None, backend: str | None = None
) -> Config:
    """Every section: ``project`` is the project's configuration file (``find_config``), or
    None for the defaults; ``backend`` is a ``--backend`` choice."""
    tests = read_pytest(project)
    return Config(load_settings(project), read_vault(environ, backend), tests)
