"""Report formats: ``text`` for people, ``json`` and ``sarif`` for machines (stable, versioned)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from keyguard.scan.finding import ScanResult
from keyguard.scan.rules import Rule


class ReportContext(NamedTuple):
    rules: tuple[Rule, ...]
    version: str
    color: bool = False


Formatter = Callable[[ScanResult, ReportContext], str]
FORMAT_NAMES = ("text", "json", "sarif")


def formatter(name: str) -> Formatter:
    if name == "json":
        from keyguard.scan.report.json import render
    elif name == "sarif":
        from keyguard.scan.report.sarif import render
    else:
        from keyguard.scan.report.text import render
    return render
