"""The rule model: data (pattern, literal keywords, structure checks) plus small functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal
from typing import NamedTuple

Confidence = Literal["high", "medium", "low"]
CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")

# Left boundary for tokens: not glued to a word character or a dash, except right after an
# escape such as ``\n`` in JSON or a shell string (gitleaks accepts ``\\[nr]`` the same way).
LEFT = r"(?:(?<![A-Za-z0-9_\-])|(?<=\\[nrt]))"
# Right boundary for tokens whose alphabet is [A-Za-z0-9_-].
RIGHT = r"(?![A-Za-z0-9_\-])"
RIGHT_ALNUM = r"(?![A-Za-z0-9])"

Check = Callable[[bytes], bool]


class Window(NamedTuple):
    """Where a keyword-triggered rule looks: the hit's line, or bytes before and after the hit."""

    before: int = 0
    after: int = 0
    line: bool = True


LINE = Window()


class Rule(NamedTuple):
    """One detector.

    ``pattern`` is a regular expression over bytes.  When ``window`` is ``None`` the rule is
    *anchored*: every keyword is the literal start of a match, and the pattern is tried exactly
    at each keyword hit.  Otherwise the pattern is searched in the window around a hit.  The
    named group ``secret`` (or the whole match) is the value; ``public`` names the part of it
    that is safe to show (a provider prefix).
    """

    id: str
    provider: str
    description: str
    pattern: str
    keywords: tuple[str, ...]
    confidence: Confidence
    remediation: str
    window: Window | None = None
    check: Check | None = None
    name_check: Check | None = None  # applied to the group ``name`` (the assigned variable)
    min_entropy: float = 0.0
    placeholder_filter: bool = True
    defer_to_prefixed: bool = False  # generic rules: leave values with a provider prefix alone
    priority: int = 50  # lower claims an overlapping span first
    env_var: str | None = None  # the conventional environment variable, for migration
    shape: str = ""  # a human description of the token shape, for docs/rules.md

    def __repr__(self) -> str:
        return f"Rule({self.id!r})"
