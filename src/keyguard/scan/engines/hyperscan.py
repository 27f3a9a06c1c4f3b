"""The optional accelerator: the same literal prefilter on Hyperscan (``keyguard[fast]``).

Hyperscan finds the keyword hits; verification is shared with the portable engine, so both
engines report identical findings by construction (a test compares them on a generated corpus).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from keyguard.errors import EngineUnavailable
from keyguard.scan.engines._base import Hit


class HyperscanPrefilter:
    name = "hyperscan"

    def __init__(self, keywords: Sequence[bytes]) -> None:
        try:
            import hyperscan
        except ImportError as exc:
            raise EngineUnavailable(
                "the hyperscan engine needs the hyperscan package: pip install 'keyguard[fast]'"
            ) from exc
        self._lengths = [len(k) for k in keywords]
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(
            expressions=[re.escape(k) for k in keywords],
            ids=list(range(len(keywords))),
            elements=len(keywords),
            flags=[0] * len(keywords),
        )

    def find(self, data: bytes) -> Sequence[Hit]:
        hits: list[Hit] = []
        lengths = self._lengths

        def on_match(ident: int, _from: int, to: int, _flags: int, _ctx: object) -> None:
            hits.append((ident, to - lengths[ident], to))

        if data:
            self._db.scan(data, match_event_handler=on_match)
        hits.sort(key=_start_then_keyword)
        return hits


def _start_then_keyword(hit: Hit) -> tuple[int, int]:
    return hit[1], hit[0]
