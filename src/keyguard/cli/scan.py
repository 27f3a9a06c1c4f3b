"""``keyguard scan``: find pasted keys in files, folders and stdin."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from keyguard import __version__
from keyguard import git
from keyguard import paths
from keyguard.atomic import write_atomic
from keyguard.cli.progress import Progress
from keyguard.errors import EXIT_FINDINGS
from keyguard.errors import EXIT_OK
from keyguard.errors import EXIT_USAGE
from keyguard.errors import InputError
from keyguard.errors import UsageError
from keyguard.formats.kinds import HINTS
from keyguard.scan import setup as session
from keyguard.scan.batch import scan_targets
from keyguard.scan.gitscan import scan_history
from keyguard.scan.gitscan import scan_staged
from keyguard.scan.home import home_targets
from keyguard.scan.report import ReportContext
from keyguard.scan.report import formatter
from keyguard.scan.sources import enumerate_targets

HELP = """\
Scan files, folders or stdin (-) for API keys and other credentials.

Inside a git repository a folder means its tracked files plus untracked files that are not
ignored; --all-files scans everything under it.  Values are never printed: each finding shows
a masked preview (public prefix, an ellipsis, at most the last 4 characters) and a keyed
fingerprint.

exit status: 0 nothing found, 1 findings, 2 usage error or an input that could not be read.
"""


def add_parsers(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "scan",
        help="scan files, folders or stdin for keys",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "paths",
        nargs="*",
        default=[],
        metavar="PATH",
        help="files or folders to scan, or - for stdin (default: .)",
    )
    p.add_argument(
        "--home",
        action="store_true",
        help="scan the usual places on this machine: shell rc files, MCP configs of Claude, "
        "Cursor, VS Code, Windsurf, Zed, Gemini and Codex, credential files, agent transcripts",
    )
    p.add_argument(
        "--format-hint",
        choices=HINTS,
        help="read every file given as this kind, whatever its name (plain: no structure)",
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
    p.add_argument(
        "--staged",
        action="store_true",
        help="scan what the next commit will contain: staged content, read from the index",
    )
    p.add_argument(
        "--history",
        nargs="?",
        const="",
        metavar="RANGE",
        help="scan every blob in git history (default: all refs; RANGE like main..topic)",
    )
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only findings not in FILE (default: the repository's "
        ".keyguard-baseline.json when it exists)",
    )
    p.add_argument("--no-baseline", action="store_true", help="ignore any baseline")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    _check(args)
    paths = args.paths or ["."]
    rules = session.select(args.config, args.min_confidence)
    repo = _repository(args, paths)
    root = None if repo is None else str(repo)
    baseline = session.open_baseline(session.baseline_path(args.baseline, args.no_baseline, root))
    scanner = session.scanner(
        rules,
        engine=args.engine,
        jobs=args.jobs,
        max_file_size=None if args.max_file_size is None else int(args.max_file_size * 1e6),
        baseline=baseline,
        format_hint=args.format_hint,
    )
    result = _scan(args, scanner, repo, paths)
    if baseline is not None:
        _drop_baselined(
            result, baseline, root or os.getcwd(), args.staged or args.history is not None
        )
    if result.findings:
        result.findings = _vaulted(result.findings)
    color = args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    text = formatter(args.format)(result, ReportContext(rules, __version__, color))
    _write(text, args.output)
    for error in result.errors:
        print(f"keyguard: {error.path}: {error.message}", file=sys.stderr)
    if any(e.fatal for e in result.errors):
        return EXIT_USAGE
    return EXIT_FINDINGS if result.findings else EXIT_OK


def _check(args: argparse.Namespace) -> None:
    """Refuse combinations of options that make no sense together."""
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (automatic) or more")
    if args.paths.count("-") > 1:
        raise UsageError("stdin (-) can be scanned only once")
    git_mode = args.staged or args.history is not None
    if args.home and (git_mode or args.paths):
        raise UsageError("--home scans the usual places on this machine; give no paths")
    if git_mode and args.paths not in ([], ["."]):
        raise UsageError("--staged and --history scan the repository; give no paths")
    if args.staged and args.history is not None:
        raise UsageError("choose one of --staged and --history")


def _repository(args: argparse.Namespace, paths: list[str]) -> Path | None:
    """The repository whose baseline applies (None for a home scan or outside one)."""
    if args.staged or args.history is not None:
        return git.require_repo(Path.cwd())
    if args.home:
        return None  # no repository's baseline applies to a home scan
    return git.toplevel(Path(paths[0]).absolute())


def _scan(args: argparse.Namespace, scanner: Any, repo: Path | None, paths: list[str]) -> Any:
    """Scan what the arguments name, with progress on a terminal."""
    progress = None
    if not args.no_progress and sys.stderr.isatty():
        progress = Progress(0, sys.stderr)
    try:
        if args.staged:
            assert repo is not None
            return scan_staged(scanner, repo)
        if args.history is not None:
            revisions = args.history.split() if args.history else ["--all"]
            assert repo is not None
            return scan_history(scanner, repo, revisions, progress)
        return _scan_files(args, scanner, paths, progress)
    finally:
        if progress is not None:
            progress.close()


def _scan_files(args: argparse.Namespace, scanner: Any, paths: list[str], progress: Any) -> Any:
    if args.home:
        groups = home_targets()
        targets = [t for _, found_here, _ in groups for t in found_here]
        if progress is not None:
            progress.total = len(targets)
        result = scan_targets(scanner, targets, progress)
        _report_groups(groups, result)
        return result

    found = enumerate_targets(
        paths, all_files=args.all_files, exclude=(*session.excludes(args.config), *args.exclude)
    )
    if progress is not None:
        progress.total = len(found.targets)
    result = scan_targets(scanner, found.targets, progress)
    result.stats.skipped_symlink += found.skipped_symlinks
    return result


def _drop_baselined(result: Any, baseline: Any, root: str, git_mode: bool) -> None:
    """Keep only the findings the baseline does not know."""
    keyed = session.root_relative(result.findings, root, already=bool(git_mode))
    fresh, known = baseline.new_findings(keyed)
    fresh_ids = {id(f) for f in fresh}
    pairs = zip(result.findings, keyed, strict=True)
    result.findings = [f for f, k in pairs if id(k) in fresh_ids]
    result.stats.baselined = known


def _report_groups(groups: list[Any], result: Any) -> None:
    """On stderr, per group: how many files were read, with findings, and what is not here."""
    with_findings = {f.path for f in result.findings}
    for name, targets, missing in groups:
        hit = sum(1 for t in targets if t.display in with_findings)
        line = f"keyguard: {name}: {len(targets)} file{'s' * (len(targets) != 1)} scanned"
        line += f", {hit} with keys" if hit else ""
        if missing:
            shown = ", ".join(missing[:4]) + (
                f" and {len(missing) - 4} more" if len(missing) > 4 else ""
            )
            line += f"; not here: {shown}"
        print(line, file=sys.stderr)


def _vaulted(findings: list[Any]) -> list[Any]:
    """Name the vault secret a leaked key is, by keyed fingerprint (the manifest holds the
    same HMAC of each stored value under this machine's key; no value is read)."""
    import json

    try:
        with open(paths.manifest(), encoding="utf-8") as stream:
            entries = json.load(stream)["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return findings
    names = {e.get("fingerprint"): name for name, e in entries.items() if isinstance(e, dict)}
    return [
        f._replace(vault_name=names[f.fingerprint]) if f.fingerprint in names else f
        for f in findings
    ]


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return

    try:
        write_atomic(Path(output), text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"--output {output}: cannot write: {exc.strerror}") from None
