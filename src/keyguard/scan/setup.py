"""What every scanning command sets up: configuration, rules, fingerprint key, baseline.

Paths are plain strings here and imports are deferred: the pre-commit hook goes through this
module on every commit.
"""

from __future__ import annotations

import os

from keyguard.errors import UsageError
from keyguard.scan.options import ScanOptions
from keyguard.scan.scanner import Scanner

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from keyguard.scan.baseline import Baseline
    from keyguard.scan.finding import Finding
    from keyguard.scan.rules import Rule

BASELINE = ".keyguard-baseline.json"


def fingerprint_key() -> bytes:
    from keyguard import paths
    from keyguard.fingerprint import load_or_create_key

    try:
        return load_or_create_key(paths.fingerprint_key())
    except OSError:
        return os.urandom(32)  # read-only home: fingerprints hold for this run only


def _config_path(config: str | None) -> str | None:
    from keyguard.config import find_config

    if config is None:
        return find_config(os.getcwd())
    if not os.path.isfile(config):
        raise UsageError(f"--config {config}: no such file")
    return config


def select(config: str | None, min_confidence: str | None = None) -> tuple[Rule, ...]:
    """The built-in rules and those of detector plug-ins, as the configuration selects them."""
    from keyguard.scan.plugins import detector_rules
    from keyguard.scan.rules import BUILTIN_RULES

    known = BUILTIN_RULES + detector_rules(BUILTIN_RULES)
    path = _config_path(config)
    if path is None and min_confidence is None:
        return known  # the common case: no configuration to read
    from keyguard.config import load_settings
    from keyguard.scan.rules.custom import select_rules

    settings = load_settings(path)
    if min_confidence:
        settings = settings._replace(min_confidence=min_confidence)
    return select_rules(settings, known)


def excludes(config: str | None) -> tuple[str, ...]:
    from keyguard.config import load_settings

    return load_settings(_config_path(config)).exclude


def baseline_path(explicit: str | None, disabled: bool, root: str | None) -> str | None:
    """``--baseline FILE``, else the repository's .keyguard-baseline.json when it exists."""
    if disabled:
        return None
    if explicit:
        if not os.path.isfile(explicit):
            raise UsageError(f"--baseline {explicit}: no such file")
        return explicit
    if root is not None and os.path.isfile(os.path.join(root, BASELINE)):
        return os.path.join(root, BASELINE)
    return None


def open_baseline(path: str | None) -> Baseline | None:
    if path is None:
        return None
    from pathlib import Path

    from keyguard.scan.baseline import load

    return load(Path(path))


def scanner(
    rules: tuple[Rule, ...],
    *,
    engine: str = "auto",
    jobs: int = 0,
    max_file_size: int | None = None,
    baseline: Baseline | None = None,
    honour_allow: bool = True,
    format_hint: str | None = None,
) -> Scanner:
    return Scanner(
        ScanOptions(
            rules=rules,
            fingerprint_key=fingerprint_key(),
            engine=engine,
            max_file_size=max_file_size,
            jobs=jobs,
            baseline_salt=None if baseline is None else baseline.salt,
            honour_allow=honour_allow,
            format_hint=format_hint,
        )
    )


def root_relative(findings: list[Finding], root: str, *, already: bool) -> list[Finding]:
    """Findings with paths relative to the repository root, as baselines store them."""
    if already:
        return findings
    out = []
    for f in findings:
        if f.path == "-":
            out.append(f)
            continue
        rel = os.path.relpath(os.path.abspath(f.path), root).replace(os.sep, "/")
        out.append(f._replace(path=rel))
    return out
