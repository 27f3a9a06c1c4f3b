"""``keyguard baseline {create,update,import}``: record known findings so scans skip them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from keyguard import git
from keyguard.atomic import write_atomic
from keyguard.errors import UsageError
from keyguard.scan import baseline as baseline_file
from keyguard.scan import setup as session
from keyguard.scan.baseline_import import import_detect_secrets
from keyguard.scan.batch import scan_targets
from keyguard.scan.sources import enumerate_targets

HELP = """\
Record the findings a repository already has, so that scans (and the pre-commit hook) report
only new ones.  The baseline holds paths, rule ids and salted fingerprints: no values, no line
numbers, no timestamps.  Commit it.

  create   scan the repository and write .keyguard-baseline.json (refuses to overwrite)
  update   rescan: add new findings, drop the ones that are gone, keep the salt
  import   convert a detect-secrets .secrets.baseline (its audited false positives and
           unaudited entries are kept; entries it marked as real secrets are not)
"""


def add_parsers(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "baseline",
        help="record known findings (create, update, import)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("action", choices=("create", "update", "import"))
    p.add_argument("source", nargs="?", help="for import: the .secrets.baseline file")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="baseline file (default: <repository root>/.keyguard-baseline.json)",
    )
    p.add_argument("--config", metavar="FILE", help="configuration file")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    root = git.toplevel(Path.cwd()) or Path.cwd()
    output = Path(args.output) if args.output else root / baseline_file.FILENAME
    if args.action == "import":
        if not args.source:
            raise UsageError("baseline import needs the detect-secrets baseline file")

        rules = session.select(args.config)
        created, report = import_detect_secrets(Path(args.source), root, rules)
        _refuse_overwrite(output)
        write_atomic(output, created.dumps().encode())
        print(f"keyguard: wrote {output} from {args.source}: {report}")
        _union_merge(root, output)
        return 0
    if args.source:
        raise UsageError(f"baseline {args.action} takes no file argument (use --output)")
    if args.action == "create":
        _refuse_overwrite(output)
        current = baseline_file.Baseline.new()
    else:
        if not output.is_file():
            raise UsageError(f"{output}: no baseline to update (run `keyguard baseline create`)")
        current = baseline_file.load(output)
    rules = session.select(args.config)
    scanner = session.scanner(rules, baseline=current)
    found = enumerate_targets([str(root)], exclude=session.excludes(args.config))
    result = scan_targets(scanner, found.targets)
    for error in result.errors:
        print(f"keyguard: {error.path}: {error.message}", file=sys.stderr)
    findings = session.root_relative(result.findings, str(root), already=False)
    updated = current.with_findings(findings)
    added = len(updated.entries - current.entries)
    removed = len(current.entries - updated.entries)
    write_atomic(output, updated.dumps().encode())
    print(
        f"keyguard: wrote {output}: {len(updated.entries)} entries "
        f"({added} added, {removed} removed). Commit it."
    )
    if args.action == "create":
        _union_merge(root, output)
    return 0


def _refuse_overwrite(output: Path) -> None:
    if output.exists():
        raise UsageError(f"{output} exists: use `keyguard baseline update`, or remove it first")


def _union_merge(root: Path, output: Path) -> None:
    """Let git merge two branches' additions to the baseline without conflict markers."""
    try:
        relative = output.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return
    attributes = root / ".gitattributes"
    line = f"/{relative} merge=union"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if line in existing.splitlines():
        return
    separator = "" if not existing or existing.endswith("\n") else "\n"
    attributes.write_text(existing + separator + line + "\n", encoding="utf-8")
    print(f"keyguard: added '{line}' to {attributes} so branches merge the baseline cleanly")
