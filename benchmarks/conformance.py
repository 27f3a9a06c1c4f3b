"""Agreement of keyguard's rules with the peers' own true/false-positive examples.

    python benchmarks/conformance.py [--examples PATH] [--markdown] [--details]

Reads ``shared/conformance/peer_examples.jsonl`` (gitleaks and secretlint examples, with the
peers' labels; the strings are not copied into this repository), scans each example with
every keyguard rule, and reports per peer rule how often keyguard agrees: a peer "tp" is
agreed with when keyguard reports anything, a peer "fp" when it reports nothing.
``--details`` lists each disagreement by row number with the rules that fired, never the text.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from keyguard.scan.engine import Matcher
from keyguard.scan.rules import BUILTIN_RULES

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "peer_examples.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=Path, default=DEFAULT)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--details", action="store_true", help="list each disagreement")
    args = parser.parse_args(argv)
    if not args.examples.is_file():
        print(f"conformance: {args.examples}: not found (pass --examples)", file=sys.stderr)
        return 2
    matcher = Matcher(BUILTIN_RULES, "portable")
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    details = []
    with args.examples.open(encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            row = json.loads(line)
            rule = row["rule"].removeprefix("@secretlint/secretlint-rule-")
            peer = f"{row['source'].split('/')[0]}:{rule}"
            fired = sorted({m.rule.id for m in matcher.scan(row["text"].encode())})
            positive = row["kind"] == "tp"
            agree = bool(fired) == positive
            table[peer][f"{row['kind']}_total"] += 1
            table[peer][f"{row['kind']}_agree"] += agree
            if not agree:
                details.append((number, peer, row["kind"], fired))
    total = sum(c["tp_agree"] + c["fp_agree"] for c in table.values())
    rows = sum(c["tp_total"] + c["fp_total"] for c in table.values())
    if args.markdown:
        print("| peer rule | peer tp agreed | peer fp agreed |")
        print("|---|---|---|")
    for peer in sorted(table):
        c = table[peer]
        tp = f"{c['tp_agree']}/{c['tp_total']}" if c["tp_total"] else "-"
        fp = f"{c['fp_agree']}/{c['fp_total']}" if c["fp_total"] else "-"
        print(f"| {peer} | {tp} | {fp} |" if args.markdown else f"{peer:60} tp {tp:>7}  fp {fp:>7}")
    print(f"\nagreement: {total}/{rows} ({100 * total / rows:.1f}%)")
    if args.details:
        for number, peer, kind, fired in details:
            print(f"row {number}: {peer} peer-{kind}, keyguard: {', '.join(fired) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
