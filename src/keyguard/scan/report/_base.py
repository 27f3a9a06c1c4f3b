"""What every report format is given: the result and the context to render it in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from keyguard.scan.finding import ScanResult
from keyguard.scan.rules import Rule


@dataclass(frozen=True, slots=True)
class ReportContext:
    rules: tuple[Rule, ...]
    version: str
    color: bool = False


Formatter = Callable[[ScanResult, ReportContext], str]
