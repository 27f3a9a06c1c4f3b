from __future__ import annotations

from pathlib import Path

from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.rules.catalog import markdown
from keyguard.scan.scanner import Scanner

DOCS = Path(__file__).resolve().parents[3] / "docs"


def test_docs_rules_md_is_current() -> None:
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == markdown(BUILTIN_RULES), (
        "docs/rules.md is stale: run `keyguard rules --markdown > docs/rules.md`"
    )


def test_every_rule_is_in_the_docs() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert all(f"`{rule.id}`" in text for rule in BUILTIN_RULES)


def test_docs_hold_no_key_shaped_strings(scanner: Scanner) -> None:
    for page in DOCS.glob("*.md"):
        findings, _ = scanner.scan_bytes(page.read_bytes(), str(page))
        assert findings == [], page.name
