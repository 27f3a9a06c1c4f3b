"""What every scanning command sets up: configuration, rules, fingerprint key, baseline."""

from __future__ import annotations

import os
from pathlib import Path

from keyguard.errors import UsageError
from keyguard.scan.baseline import FILENAME
from keyguard.scan.baseline import Baseline
from keyguard.scan.baseline import load as load_baseline
from keyguard.scan.finding import Finding
from keyguard.scan.rules import Rule
from keyguard.scan.scanner import Scanner
from keyguard.scan.scanner import ScanOptions


def data_dir() -> Path:
    explicit = os.environ.get("KEYGUARD_DATA_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return Path(base) / "keyguard"


def fingerprint_key() -> bytes:
    from keyguard.fingerprint import load_or_create_key

    try:
        return load_or_create_key(data_dir() / "fingerprint.key")
    except OSError:
        import secrets

        return secrets.token_bytes(32)  # read-only home: fingerprints hold for this run only


def select(config: str | None, min_confidence: str | None = None) -> tuple[Rule, ...]:
    from keyguard.config import find_config
    from keyguard.config import load_settings
    from keyguard.scan.rules.custom import select_rules

    path = Path(config) if config else find_config(Path.cwd())
    if config and not Path(config).is_file():
        raise UsageError(f"--config {config}: no such file")
    settings = load_settings(path)
    if min_confidence:
        settings = settings._replace(min_confidence=min_confidence)
    return select_rules(settings)


def excludes(config: str | None) -> tuple[str, ...]:
    from keyguard.config import find_config
    from keyguard.config import load_settings

    path = Path(config) if config else find_config(Path.cwd())
    return load_settings(path).exclude


def baseline_path(explicit: str | None, disabled: bool, root: Path | None) -> Path | None:
    """``--baseline FILE``, else the repository's .keyguard-baseline.json when it exists."""
    if disabled:
        return None
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise UsageError(f"--baseline {explicit}: no such file")
        return path
    if root is not None and (root / FILENAME).is_file():
        return root / FILENAME
    return None


def scanner(
    rules: tuple[Rule, ...],
    *,
    engine: str = "auto",
    jobs: int = 0,
    max_file_size: int | None = None,
    baseline: Baseline | None = None,
    honour_allow: bool = True,
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
        )
    )


def open_baseline(path: Path | None) -> Baseline | None:
    return None if path is None else load_baseline(path)


def root_relative(findings: list[Finding], root: Path, *, already: bool) -> list[Finding]:
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
