"""The rule table: every built-in rule, most specific first, plus rules from configuration."""

from __future__ import annotations

from keyguard.scan.rules import ai
from keyguard.scan.rules import cloud
from keyguard.scan.rules import forges
from keyguard.scan.rules import generic
from keyguard.scan.rules import private_keys
from keyguard.scan.rules import saas
from keyguard.scan.rules._base import CONFIDENCES
from keyguard.scan.rules._base import LINE
from keyguard.scan.rules._base import Rule
from keyguard.scan.rules._base import Window

BUILTIN_RULES: tuple[Rule, ...] = (
    *ai.RULES,
    *forges.RULES,
    *cloud.RULES,
    *saas.RULES,
    *private_keys.RULES,
    *generic.RULES,
)

__all__ = ["BUILTIN_RULES", "CONFIDENCES", "LINE", "Rule", "Window"]
