"""``keyguard migrate FILE…``: move the keys in a file into the vault, in one step."""

from __future__ import annotations

import os
import sys
from typing import Any

from keyguard.config import read_vault
from keyguard.errors import EXIT_FINDINGS
from keyguard.errors import KeyguardError
from keyguard.formats.kinds import MIGRATE_FORMATS
from keyguard.formats.kinds import rewriter_for
from keyguard.formats.rewriters.sh import sourced_files
from keyguard.migrate.apply import apply
from keyguard.migrate.apply import undo
from keyguard.migrate.plan import make_plan
from keyguard.scan import setup as session
from keyguard.vault import open_vault

HELP = """\
Move every key in FILE into the vault and rewrite FILE to load it from there:
  shell rc files (bash, zsh, sh, ksh, .envrc)  one `eval "$(keyguard env …)"` block
  .env files                                   KEY=keyguard://NAME (keyguard run --env-file)
  fish                                         set -gx K (keyguard get NAME | string collect)
  csh/tcsh, PowerShell profiles                setenv K "`keyguard get NAME`" / $env:K = …
  MCP configs (Claude, Cursor, VS Code, …)     the server runs under `keyguard run --secret`
  Codex config.toml                            the same, for [mcp_servers] env tables
The format comes from the file name; --format names it otherwise.

Shows a diff with masked values and the names it will use, then asks (--yes applies,
--dry-run only shows). Each value is stored and read back before the file is replaced
atomically; nothing is lost if anything fails. No plaintext backup is written:
`keyguard migrate --undo FILE` rebuilds the original from the vault.
"""


def add_parsers(commands: Any) -> None:
    import argparse

    p: argparse.ArgumentParser = commands.add_parser(
        "migrate", help="move the keys in files into the vault", description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show the plan, change nothing")
    p.add_argument("--yes", "-y", action="store_true", help="apply without asking")
    p.add_argument("--undo", action="store_true", help="restore files migrated before")
    p.add_argument(
        "--format",
        choices=tuple(MIGRATE_FORMATS),
        help="the file's format when its name does not say",
    )
    p.add_argument("--backend", help="vault backend (default: as `keyguard doctor` says)")
    p.set_defaults(run=run)


def _keyguard_path() -> str:
    here = os.path.join(os.path.dirname(sys.executable), "keyguard")
    return here if os.path.isfile(here) else "keyguard"


def run(args: Any) -> int:
    vault = open_vault(read_vault(os.environ, args.backend))
    failed = 0
    if args.undo:
        for path in args.files:
            try:
                count = undo(path, vault)
                print(f"keyguard: {path} restored ({count} values from the vault)", file=sys.stderr)
            except KeyguardError as exc:
                failed = max(failed, exc.exit_code)
                print(f"keyguard: {exc}", file=sys.stderr)
        return failed
    scanner = session.scanner(session.select(None), engine="portable")
    for path in args.files:
        try:
            plan = make_plan(path, vault, scanner, _keyguard_path(), args.format)
        except KeyguardError as exc:
            failed = max(failed, exc.exit_code)
            print(f"keyguard: {path}: not migrated: {exc}", file=sys.stderr)
            continue
        _report_sourced(path, args, scanner)
        if plan is None:
            print(f"keyguard: {path}: no keys to migrate", file=sys.stderr)
            continue
        sys.stdout.write(plan.diff())
        for a in plan.assignments:
            state = "new" if a.name in plan.create else "already in the vault"
            var = a.var.split("\0")[-1]
            print(f"  {var} → {a.name} ({state}, {vault.backend.name} backend)")
        if args.dry_run:
            continue
        if not args.yes:
            if not sys.stdin.isatty():
                print(
                    "keyguard: not a terminal: pass --yes to apply, or --dry-run", file=sys.stderr
                )
                return EXIT_FINDINGS
            if input(
                f"Move {len(plan.assignments)} key(s) and rewrite {path}? [y/N] "
            ).strip().lower() not in {"y", "yes"}:
                print("keyguard: nothing changed", file=sys.stderr)
                continue
        try:
            apply(plan, vault)
        except KeyguardError as exc:
            failed = max(failed, exc.exit_code)
            print(f"keyguard: {path}: not migrated: {exc}", file=sys.stderr)
            continue
        print(
            f"keyguard: {path} migrated; `keyguard migrate --undo {path}` restores it",
            file=sys.stderr,
        )
        if os.path.basename(path) == ".claude.json":
            print(
                "keyguard: close every Claude Code session first: it rewrites this file",
                file=sys.stderr,
            )
        if os.path.basename(path) == ".envrc":
            print("keyguard: run `direnv allow` to approve the changed .envrc", file=sys.stderr)
    return failed


def _report_sourced(path: str, args: Any, scanner: Any) -> None:
    """Keys often live in a fragment the rc file sources: name it rather than miss it."""
    try:
        if args.format not in (None, "sh") or rewriter_for(path).format != "sh":
            return
        with open(path, "rb") as stream:
            data = stream.read()
    except (KeyguardError, OSError):
        return
    given = {os.path.abspath(f) for f in args.files}
    for fragment in sourced_files(path, data):
        if fragment in given:
            continue
        try:
            with open(fragment, "rb") as stream:
                findings, _ = scanner.scan_bytes(stream.read(), fragment)
        except OSError:
            continue
        if findings:
            print(
                f"keyguard: {path} sources {fragment}, which holds {len(findings)} key(s): "
                f"`keyguard migrate {fragment}` moves them too",
                file=sys.stderr,
            )
