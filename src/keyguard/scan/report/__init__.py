"""Report formats: ``text`` for people, ``json`` and ``sarif`` for machines (stable, versioned).

One module per format, each with ``render(result, context) -> str``; the table below names
them as ``"module:attr"`` strings, loaded when chosen.
"""

from __future__ import annotations

from keyguard.entrypoints import resolve as load
from keyguard.scan.report._base import Formatter
from keyguard.scan.report._base import ReportContext

FORMATTERS: dict[str, str] = {
    "text": "keyguard.scan.report.text:render",
    "json": "keyguard.scan.report.json:render",
    "sarif": "keyguard.scan.report.sarif:render",
}
FORMAT_NAMES = tuple(FORMATTERS)


def formatter(name: str) -> Formatter:
    return load(FORMATTERS[name])  # type: ignore[return-value]


__all__ = ["FORMAT_NAMES", "Formatter", "ReportContext", "formatter"]
