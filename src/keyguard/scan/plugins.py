"""Detector plug-ins: the ``keyguard.detectors`` entry-point group.

An entry point names a ``keyguard.scan.rules.Rule``, a sequence of them, or a callable
returning either; its rules join the built-in ones everywhere rules are used (scan, hooks,
``keyguard rules``), after them, and may not reuse a built-in id.
"""

from __future__ import annotations

import re

from keyguard.entrypoints import entry_points
from keyguard.entrypoints import load
from keyguard.errors import ConfigError
from keyguard.scan.rules import Rule

GROUP = "keyguard.detectors"


def detector_rules(builtin: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The rules of every ``keyguard.detectors`` plug-in, checked like user rules."""
    out: list[Rule] = []
    seen = {rule.id for rule in builtin}
    for ep in entry_points(GROUP):
        where = f"detector plug-in {ep.name!r} ({ep.value})"
        obj = load(ep, "detector")
        if callable(obj) and not isinstance(obj, Rule):
            obj = obj()
        rules = (obj,) if isinstance(obj, Rule) else obj
        if not isinstance(rules, (list, tuple)) or not all(isinstance(r, Rule) for r in rules):
            raise ConfigError(f"{where}: gives {type(obj).__name__}, not Rule objects")
        for rule in rules:
            if rule.id in seen:
                raise ConfigError(f"{where}: rule id {rule.id!r} is already used")
            try:
                re.compile(rule.pattern.encode())
            except re.error as exc:
                raise ConfigError(f"{where}: rule {rule.id!r}: invalid pattern: {exc}") from None
            seen.add(rule.id)
            out.append(rule)
    return tuple(out)
