"""Documents that mix ordinary text, planted keys and decoys, for tests and benchmarks."""

from __future__ import annotations

import random

from keyguard.testing.decoys import decoys
from keyguard.testing.tokens import PLANTS

_FILLER = (
    "import os\n",
    "def handler(event, context):\n    return {'status': 200}\n",
    "# keys are loaded from the keychain at start-up\n",
    "for i in range(10):\n    total += i\n",
    "LOG_LEVEL=info\n",
    "timeout: 30\n",
    "token_count = len(tokens)\n",
)


def document(rng: random.Random, plants: int = 10, decoy_lines: int = 10) -> str:
    """A text with ``plants`` keys (any rule) and ``decoy_lines`` decoys between filler."""
    parts: list[str] = []
    rule_ids = sorted(PLANTS)
    all_decoys = decoys(rng)
    for _ in range(plants):
        parts.append(rng.choice(_FILLER))
        parts.append(PLANTS[rng.choice(rule_ids)](rng)[0] + "\n")
    for _ in range(decoy_lines):
        parts.append(rng.choice(_FILLER))
        parts.append(rng.choice(all_decoys)[1] + "\n")
    rng.shuffle(parts)
    return "".join(parts)
