from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema

from keyguard.scan.batch import scan_targets
from keyguard.scan.finding import ScanError
from keyguard.scan.finding import ScanResult
from keyguard.scan.report import ReportContext
from keyguard.scan.report import formatter
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.scanner import Scanner
from keyguard.scan.sources import Target
from keyguard.testing.tokens import PLANTS

SCHEMA = Path(__file__).resolve().parents[2] / "data" / "sarif-schema-2.1.0.json"


def _result(scanner: Scanner, tmp_path: Path, rng: random.Random) -> tuple[ScanResult, list[str]]:
    planted = []
    lines = []
    for rule_id in ("anthropic-api-key", "github-token", "database-url", "private-key"):
        text, token = PLANTS[rule_id](rng)
        planted.append(token)
        lines.append(text)
    path = tmp_path / "config.env"
    path.write_text("\n".join(lines) + "\n")
    result = scan_targets(scanner, [Target("config.env", str(path))])
    result.errors.append(ScanError("locked.txt", "cannot read: Permission denied"))
    return result, planted


def _render(name: str, result: ScanResult) -> str:
    return formatter(name)(result, ReportContext(BUILTIN_RULES, "0.1.0"))


def test_json_is_the_documented_shape(scanner: Scanner, tmp_path: Path, rng: random.Random) -> None:
    result, planted = _result(scanner, tmp_path, rng)
    text = _render("json", result)
    document = json.loads(text)
    assert document["version"] == 1
    assert set(document["stats"]) >= {"files", "bytes", "seconds"}
    keys = {
        "rule_id",
        "provider",
        "confidence",
        "path",
        "line",
        "column",
        "location",
        "preview",
        "fingerprint",
        "vault_name",
        "remediation",
    }
    assert [f["rule_id"] for f in document["findings"]] == [
        "anthropic-api-key",
        "github-token",
        "database-url",
        "private-key",
    ]
    for finding in document["findings"]:
        assert keys <= set(finding)
        assert finding["confidence"] in {"high", "medium", "low"}
        assert finding["vault_name"] is None
    assert document["findings"][0]["line"] == 1 and document["findings"][1]["line"] == 2
    assert not any(token in text for token in planted)


def test_sarif_validates_against_the_schema(
    scanner: Scanner, tmp_path: Path, rng: random.Random
) -> None:
    result, planted = _result(scanner, tmp_path, rng)
    text = _render("sarif", result)
    document = json.loads(text)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in run["results"]] == [
        r["ruleId"] for r in run["results"]
    ]
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "config.env"
    assert first["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert first["partialFingerprints"]
    named = [r["locations"][0].get("logicalLocations") for r in run["results"]]
    assert any(named)  # the variable holding the key, for those assigned in the .env file
    assert run["invocations"][0]["executionSuccessful"] is False
    assert not any(token in text for token in planted)


def test_text_groups_by_file_and_never_shows_values(
    scanner: Scanner, tmp_path: Path, rng: random.Random
) -> None:
    result, planted = _result(scanner, tmp_path, rng)
    text = _render("text", result)
    assert text.startswith("config.env\n")
    assert "4 findings in 1 file" in text
    assert "rotate the anthropic key at https://console.anthropic.com/settings/keys" in text
    assert not any(token in text for token in planted)
    # no fragment either (the middle of each value; a PEM ends in its public END line)
    assert not any(token[len(token) // 2 : len(token) // 2 + 12] in text for token in planted)


def test_text_when_clean() -> None:
    assert _render("text", ScanResult()).startswith("no secrets found (scanned 0 files")
