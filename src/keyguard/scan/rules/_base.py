"""The rule model: data (pattern, literal keywords, structure checks) plus small functions."""

from __future__ import annotations

from collections.abc import Callable

from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    Confidence = Literal["high", "medium", "low"]

CONFIDENCES: tuple[Confidence, ...] = ("high", "medium", "low")

# Left boundary for tokens: not glued to a word character or a dash, except right after an
# escape such as ``\n`` in JSON or a shell string (gitleaks accepts ``\\[nr]`` the same way).
LEFT = r"(?:(?<![A-Za-z0-9_\-])|(?<=\\[nrt]))"
# Right boundary for tokens whose alphabet is [A-Za-z0-9_-].
RIGHT = r"(?![A-Za-z0-9_\-])"
RIGHT_ALNUM = r"(?![A-Za-z0-9])"

Check = Callable[[bytes], bool]


class Window(Record):
    """Where a keyword-triggered rule looks: the hit's line, or bytes before and after the hit."""

    __slots__ = ("before", "after", "line")
    before: int
    after: int
    line: bool

    def __init__(self, before: int = 0, after: int = 0, line: bool = True) -> None:
        fill(self, locals())


LINE = Window()


class Rule(Record):
    """One detector.

    ``pattern`` is a regular expression over bytes.  When ``window`` is ``None`` the rule is
    *anchored*: every keyword is the literal start of a match, and the pattern is tried exactly
    at each keyword hit.  Otherwise the pattern is searched in the window around a hit.  The
    named group ``secret`` (or the whole match) is the value; ``public`` names the part of it
    that is safe to show (a provider prefix).  ``check`` and ``name_check`` are structure
    checks on the value and on the group ``name`` (an assigned variable's name).
    ``defer_to_prefixed`` makes a generic rule leave values with a provider prefix to their
    owner; ``priority`` decides overlaps (lower claims first); ``env_var`` is the conventional
    environment variable; ``shape`` describes the token for docs/rules.md.
    """

    __slots__ = (
        "id", "provider", "description", "pattern", "keywords", "confidence", "remediation",
        "window", "check", "name_check", "min_entropy", "placeholder_filter",
        "defer_to_prefixed", "priority", "env_var", "shape",
    )  # fmt: skip
    id: str
    provider: str
    description: str
    pattern: str
    keywords: tuple[str, ...]
    confidence: Confidence
    remediation: str
    window: Window | None
    check: Check | None
    name_check: Check | None
    min_entropy: float
    placeholder_filter: bool
    defer_to_prefixed: bool
    priority: int
    env_var: str | None
    shape: str

    def __init__(
        self,
        id: str,
        provider: str,
        description: str,
        pattern: str,
        keywords: tuple[str, ...],
        confidence: Confidence,
        remediation: str,
        window: Window | None = None,
        check: Check | None = None,
        name_check: Check | None = None,
        min_entropy: float = 0.0,
        placeholder_filter: bool = True,
        defer_to_prefixed: bool = False,
        priority: int = 50,
        env_var: str | None = None,
        shape: str = "",
    ) -> None:
        fill(self, locals())

    def __repr__(self) -> str:
        return f"Rule({self.id!r})"
