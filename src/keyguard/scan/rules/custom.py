"""Rules from configuration, validated into the same :class:`Rule` as the built-ins."""

from __future__ import annotations

import re

from keyguard.config import RuleSpec
from keyguard.config import Settings
from keyguard.errors import ConfigError
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.rules import CONFIDENCES
from keyguard.scan.rules import LINE
from keyguard.scan.rules import Rule

_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


def user_rule(spec: RuleSpec) -> Rule:
    if not _ID.fullmatch(spec.id):
        raise ConfigError(
            f"{spec.where}.id: {spec.id!r} is not a rule id ([a-z0-9._-], lower case)"
        )
    try:
        re.compile(spec.pattern.encode())
    except re.error as exc:
        raise ConfigError(f"{spec.where}.pattern: not a valid regular expression: {exc}") from None
    confidence = next(c for c in CONFIDENCES if c == spec.confidence)
    return Rule(
        id=spec.id,
        provider=spec.provider,
        description=spec.description or f"custom rule {spec.id}",
        pattern=spec.pattern,
        keywords=spec.keywords,
        confidence=confidence,
        remediation=spec.remediation or "Rotate the credential where it was issued.",
        window=None if spec.anchored else LINE,
        min_entropy=spec.min_entropy,
        priority=60,
        shape="custom",
    )


def select_rules(settings: Settings, builtin: tuple[Rule, ...] = BUILTIN_RULES) -> tuple[Rule, ...]:
    """Built-in rules minus the disabled ones, plus user rules, at or above the confidence floor."""
    known = {rule.id for rule in builtin}
    for rule_id in settings.disable:
        if rule_id not in known:
            raise ConfigError(f"{settings.source}: disable: no rule named {rule_id!r}")
    users = tuple(user_rule(spec) for spec in settings.rules)
    seen = set(known)
    for rule in users:
        if rule.id in seen:
            raise ConfigError(f"{settings.source}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
    floor = [str(c) for c in CONFIDENCES].index(settings.min_confidence)
    chosen = [r for r in builtin if r.id not in settings.disable] + list(users)
    return tuple(r for r in chosen if CONFIDENCES.index(r.confidence) <= floor)
