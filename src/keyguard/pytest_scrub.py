"""Scrubbing pytest's report objects, in place, before anything renders or serialises them.

Reports are walked generically: every string reachable through the attributes of pytest's
``Repr*`` objects, tuples (skip reasons), lists (sections, user properties) and dicts is
redacted.  Runs in the xdist worker, before the report is serialised.
"""

from __future__ import annotations

from typing import Any

from keyguard.redact.redactor import Redactor

_SCALARS = (int, float, bool, type(None), bytes)


def scrub(value: Any, redactor: Redactor, seen: set[int] | None = None, depth: int = 0) -> Any:
    """The value with every reachable string redacted (objects are changed in place)."""
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, _SCALARS) or depth > 12:
        return value
    seen = set() if seen is None else seen
    if id(value) in seen:
        return value
    seen.add(id(value))
    if isinstance(value, list):
        value[:] = [scrub(v, redactor, seen, depth + 1) for v in value]
        return value
    if isinstance(value, tuple):
        items = [scrub(v, redactor, seen, depth + 1) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        for key in list(value):
            value[key] = scrub(value[key], redactor, seen, depth + 1)
        return value
    module = type(value).__module__ or ""
    if module.startswith(("_pytest", "pytest")) and hasattr(value, "__dict__"):
        for name, attribute in list(vars(value).items()):
            try:
                setattr(value, name, scrub(attribute, redactor, seen, depth + 1))
            except (AttributeError, TypeError):
                continue
    return value


def scrub_report(report: Any, redactor: Redactor) -> None:
    """A TestReport or CollectReport: its longrepr, captured sections, user properties."""
    report.longrepr = scrub(report.longrepr, redactor)
    if isinstance(getattr(report, "wasxfail", None), str):
        report.wasxfail = redactor.redact(report.wasxfail)
    report.sections = [(title, redactor.redact(text)) for title, text in report.sections]
    if hasattr(report, "user_properties"):
        report.user_properties = [
            (name, redactor.redact(value) if isinstance(value, str) else scrub(value, redactor))
            for name, value in report.user_properties
        ]
