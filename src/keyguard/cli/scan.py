"""``keyguard scan``: find pasted keys in files, folders and stdin."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from keyguard.errors import EXIT_FINDINGS
from keyguard.errors import EXIT_OK
from keyguard.errors import EXIT_USAGE
from keyguard.errors import InputError
from keyguard.errors import UsageError

HELP = """\
Scan files, folders or stdin (-) for API keys and other credentials.

Inside a git repository a folder means its tracked files plus untracked files that are not
ignored; --all-files scans everything under it.  Values are never printed: each finding shows
a masked preview (public prefix, an ellipsis, at most the last 4 characters) and a keyed
fingerprint.

exit status: 0 nothing found, 1 findings, 2 usage error or an input that could not be read.
"""


def add_parser(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "scan",
        help="scan files, folders or stdin for keys",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="*",
        default=["."],
        metavar="PATH",
        help="files or folders to scan, or - for stdin (default: .)",
    )
    p.add_argument(
        "--all-files",
        action="store_true",
        help="in a git repository, scan every file, not only tracked ones",
    )
    p.add_argument(
        "-f",
        "--format",
        choices=("text", "json", "sarif"),
        default="text",
        help="output format (default: text)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip paths matching GLOB (repeatable; adds to the config's exclude)",
    )
    p.add_argument(
        "--min-confidence",
        choices=("high", "medium", "low"),
        help="report only findings at or above this confidence (default: low)",
    )
    p.add_argument(
        "--max-file-size",
        type=float,
        metavar="MB",
        help="skip files larger than MB megabytes (default: scan any size in bounded memory)",
    )
    p.add_argument(
        "--engine",
        choices=("auto", "portable", "hyperscan"),
        default="auto",
        help="prefilter engine (default: auto, Hyperscan when installed)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default: by amount of work, up to the cores)",
    )
    p.add_argument(
        "--config",
        metavar="FILE",
        help="configuration file (default: nearest .keyguard.toml or pyproject.toml)",
    )
    p.add_argument("--no-progress", action="store_true", help="never show progress")
    p.set_defaults(run=run)


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


def run(args: argparse.Namespace) -> int:
    from keyguard import __version__
    from keyguard.config import find_config
    from keyguard.config import load_settings
    from keyguard.scan.report import ReportContext
    from keyguard.scan.report import formatter
    from keyguard.scan.rules.custom import select_rules
    from keyguard.scan.scanner import Scanner
    from keyguard.scan.scanner import ScanOptions
    from keyguard.scan.sources import enumerate_targets

    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (automatic) or more")
    if args.paths.count("-") > 1:
        raise UsageError("stdin (-) can be scanned only once")
    config_path = Path(args.config) if args.config else find_config(Path.cwd())
    if args.config and not config_path.is_file():  # type: ignore[union-attr]
        raise UsageError(f"--config {args.config}: no such file")
    settings = load_settings(config_path)
    if args.min_confidence:
        import dataclasses

        settings = dataclasses.replace(settings, min_confidence=args.min_confidence)
    rules = select_rules(settings)
    options = ScanOptions(
        rules=rules,
        fingerprint_key=fingerprint_key(),
        engine=args.engine,
        max_file_size=None if args.max_file_size is None else int(args.max_file_size * 1e6),
        jobs=args.jobs,
    )
    found = enumerate_targets(
        args.paths, all_files=args.all_files, exclude=(*settings.exclude, *args.exclude)
    )
    scanner = Scanner(options)
    progress = None
    if not args.no_progress and sys.stderr.isatty():
        from keyguard.cli.progress import Progress

        progress = Progress(len(found.targets), sys.stderr)
    try:
        result = scanner.scan_targets(found.targets, progress)
    finally:
        if progress is not None:
            progress.close()
    result.stats.skipped_symlink += found.skipped_symlinks
    color = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = formatter(args.format)(result, ReportContext(rules, __version__, color))
    _write(text, args.output)
    for error in result.errors:
        print(f"keyguard: {error.path}: {error.message}", file=sys.stderr)
    if any(not e.message.startswith("skipped:") for e in result.errors):
        return EXIT_USAGE
    return EXIT_FINDINGS if result.findings else EXIT_OK


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from keyguard.atomic import write_atomic

    try:
        write_atomic(Path(output), text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"--output {output}: cannot write: {exc.strerror}") from None
