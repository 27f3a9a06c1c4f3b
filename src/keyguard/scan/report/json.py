"""``--format json``: one object, ``{"version": 1, "findings": [...], "stats": {...}}``."""

from __future__ import annotations

import json
from typing import Any

from keyguard.scan.finding import Finding
from keyguard.scan.finding import ScanResult
from keyguard.scan.report._base import ReportContext

VERSION = 1


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule_id": f.rule_id,
        "provider": f.provider,
        "confidence": f.confidence,
        "description": f.description,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "location": dict(f.location),
        "preview": f.preview,
        "fingerprint": f.fingerprint,
        "vault_name": f.vault_name,
        "remediation": f.remediation,
    }


def render(result: ScanResult, context: ReportContext) -> str:
    stats = result.stats
    document = {
        "version": VERSION,
        "findings": [finding_dict(f) for f in result.findings],
        "errors": [{"path": e.path, "message": e.message} for e in result.errors],
        "stats": {
            "files": stats.files,
            "bytes": stats.bytes,
            "seconds": round(stats.seconds, 4),
            "skipped_binary": stats.skipped_binary,
            "skipped_large": stats.skipped_large,
            "skipped_symlinks": stats.skipped_symlink,
            "suppressed": stats.suppressed,
            "baselined": stats.baselined,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
