"""keyguard's AI-provider rules as detect-secrets plugins.

Teams on detect-secrets get keyguard's structure-checked AI-provider detectors without
switching tools::

    detect-secrets scan --plugin "$(python -m keyguard.integrations.detect_secrets)"

(the module prints its own path), or list the file under ``plugins_used`` with its ``path``
in ``.secrets.baseline``.  Each plugin runs one keyguard rule — prefix, length, markers,
placeholder filters and all — over each line detect-secrets hands it.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from collections.abc import Iterable
from typing import Any
from typing import ClassVar

from detect_secrets.plugins.base import RegexBasedDetector

from keyguard.scan.engine import Matcher
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.rules import Rule

AI_PROVIDERS = frozenset(
    {
        "anthropic", "openai", "openrouter", "xai", "groq", "huggingface", "perplexity",
        "replicate", "together", "fireworks", "cerebras", "nvidia", "langsmith", "langfuse",
        "tavily", "oneclaw", "deepseek", "mistral", "cohere",
    }
)  # fmt: skip


class _KeyguardRule(RegexBasedDetector):
    """Runs one keyguard rule; subclasses set ``rule`` and ``secret_type``."""

    rule: ClassVar[Rule]
    _matcher: ClassVar[Matcher | None] = None

    @property
    def denylist(self) -> Iterable[re.Pattern[str]]:
        return (re.compile(self.rule.pattern),)

    def analyze_string(self, string: str) -> Generator[str, None, None]:
        cls = type(self)
        if cls._matcher is None:
            cls._matcher = Matcher((cls.rule,), "portable")
        data = string.encode("utf-8", "surrogateescape")
        for match in cls._matcher.scan(data):
            yield data[match.start : match.end].decode("utf-8", "surrogateescape")


def _plugin(rule: Rule) -> type[Any]:
    name = "Keyguard" + "".join(part.capitalize() for part in rule.id.split("-")) + "Detector"
    attributes = {"rule": rule, "secret_type": f"keyguard: {rule.description}"}
    return type(name, (_KeyguardRule,), attributes)


PLUGINS = tuple(_plugin(rule) for rule in BUILTIN_RULES if rule.provider in AI_PROVIDERS)
globals().update({plugin.__name__: plugin for plugin in PLUGINS})  # detect-secrets reads these

if __name__ == "__main__":
    print(__file__)
