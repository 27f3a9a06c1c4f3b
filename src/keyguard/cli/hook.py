"""``keyguard hook …`` (what git and pre-commit run) and ``keyguard install-hook``."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from keyguard.hooks import git as hooks

HOOK_HELP = """\
Entry points for git hooks; you rarely run these by hand.

  pre-commit [FILE…]  scan what the commit will contain: the staged (index) content of FILEs,
                      or of every staged change; exit 1 with what to do when a key is found,
                      3 when the baseline had to drop entries for removed keys
  pre-push            scan only the commits being pushed (refs on standard input, as git
                      gives them to a pre-push hook)
  env-files FILE…     refuse .env-style files that hold keys
"""


def add_parsers(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "hook",
        help="run as a git hook (pre-commit, pre-push, env-files)",
        description=HOOK_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("kind", choices=("pre-commit", "pre-push", "env-files"))
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument(
        "--baseline",
        metavar="FILE",
        help="baseline file (default: the repository's .keyguard-baseline.json when it exists)",
    )
    p.add_argument("--config", metavar="FILE", help="configuration file")
    p.set_defaults(run=run_hook)

    q: argparse.ArgumentParser = commands.add_parser(
        "install-hook",
        help="install keyguard as this repository's git pre-commit (or pre-push) hook",
        description="Install a standalone git hook script into this repository's hooks "
        "folder (core.hooksPath is honoured). For repositories that use the pre-commit "
        "framework, add keyguard to .pre-commit-config.yaml instead (docs/git.md).",
    )
    q.add_argument("--pre-push", action="store_true", help="install the pre-push hook")
    q.add_argument(
        "--force",
        action="store_true",
        help="replace an existing hook that is not keyguard's (it is kept as a backup)",
    )
    q.set_defaults(run=run_install)


def run_hook(args: argparse.Namespace) -> int:
    if args.kind == "pre-commit":
        return hooks.pre_commit(args.files, args.baseline, args.config)
    if args.kind == "pre-push":
        return hooks.pre_push(sys.stdin.read().splitlines(), args.baseline, args.config)
    return hooks.env_files(args.files, args.config)


def run_install(args: argparse.Namespace) -> int:
    target = hooks.install("pre-push" if args.pre_push else "pre-commit", args.force)
    print(f"keyguard: installed {target}")
    return 0
