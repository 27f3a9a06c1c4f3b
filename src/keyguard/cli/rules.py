"""``keyguard rules``: list the rule table, or write docs/rules.md."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from keyguard.scan.plugins import detector_rules
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.rules.catalog import markdown


def add_parsers(commands: Any) -> None:
    p: argparse.ArgumentParser = commands.add_parser(
        "rules", help="list the detection rules", description="List the detection rules."
    )
    p.add_argument("--markdown", action="store_true", help="print docs/rules.md")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.markdown:
        sys.stdout.write(markdown(BUILTIN_RULES))  # the docs describe the built-in table
        return 0
    plugged = detector_rules(BUILTIN_RULES)
    rules = BUILTIN_RULES + plugged
    width = max(len(r.id) for r in rules)
    for rule in rules:
        origin = "  (plug-in)" if rule in plugged else ""
        print(f"{rule.id.ljust(width)}  {rule.confidence.ljust(6)}  {rule.description}{origin}")
    return 0
