"""``--format sarif``: SARIF 2.1.0 as GitHub code scanning reads it."""

from __future__ import annotations

import json
from typing import Any

from keyguard.scan.finding import Finding
from keyguard.scan.finding import ScanResult
from keyguard.scan.report._base import ReportContext
from keyguard.scan.rules import Rule

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {"high": "error", "medium": "warning", "low": "note"}
_SEVERITY = {"high": "8.0", "medium": "5.0", "low": "3.0"}


def _rule(rule: Rule) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.description},
        "fullDescription": {"text": f"{rule.description}. Shape: {rule.shape}".rstrip()},
        "help": {"text": f"Rotate the credential: {rule.remediation}"},
        "defaultConfiguration": {"level": _LEVEL[rule.confidence]},
        "properties": {
            "tags": ["security", "secret", rule.provider],
            "precision": {"high": "very-high", "medium": "high", "low": "medium"}[rule.confidence],
            "security-severity": _SEVERITY[rule.confidence],
        },
    }
    if rule.remediation.startswith("https://"):
        entry["helpUri"] = rule.remediation
    return entry


def _uri(path: str) -> str:
    if path == "-":
        return "stdin"
    from urllib.parse import quote

    return quote(path.replace("\\", "/").removeprefix("./"))


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": _uri(f.path)},
            "region": {
                "startLine": f.line,
                "startColumn": f.column,
                "endLine": f.end_line,
                "endColumn": f.end_column,
            },
        }
    }
    # A chat message or a config key is the place a person looks for: a logical location.
    name = f.location.get("json_pointer") or f.location.get("key_path")
    if name:
        location["logicalLocations"] = [{"fullyQualifiedName": str(name), "kind": "member"}]
    text = f"{f.description}: {f.preview}"
    if f.location.get("where"):
        text += f" (in {f.location['where']})"
    return {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": _LEVEL[f.confidence],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"keyguardFingerprint/v1": f.fingerprint},
    }


def render(result: ScanResult, context: ReportContext) -> str:
    index = {rule.id: i for i, rule in enumerate(context.rules)}
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "keyguard",
                        "version": context.version,
                        "semanticVersion": context.version,
                        "informationUri": "https://pypi.org/project/keyguard/",
                        "rules": [_rule(rule) for rule in context.rules],
                    }
                },
                "results": [_result(f, index) for f in result.findings],
                "invocations": [
                    {
                        "executionSuccessful": not any(e.fatal for e in result.errors),
                        "toolExecutionNotifications": [
                            {
                                "level": "error" if e.fatal else "note",
                                "message": {"text": e.message},
                                "locations": [
                                    {
                                        "physicalLocation": {
                                            "artifactLocation": {"uri": _uri(e.path)}
                                        }
                                    }
                                ],
                            }
                            for e in result.errors
                        ],
                    }
                ],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
