"""The default prefilter: Aho-Corasick over bytes (Rust ``aho-corasick`` through ahocorasick-rs)."""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick_rs

from keyguard.scan.engines._base import Hit


class AhoCorasickPrefilter:
    name = "portable"

    def __init__(self, keywords: Sequence[bytes]) -> None:
        # A DFA scans about three times faster than the default NFA for our ~150 keywords.
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            list(keywords), implementation=ahocorasick_rs.Implementation.DFA
        )

    def find(self, data: bytes) -> Sequence[Hit]:
        hits = self._automaton.find_matches_as_indexes(data, overlapping=True)
        hits.sort(key=_start_then_keyword)
        return hits


def _start_then_keyword(hit: Hit) -> tuple[int, int]:
    return hit[1], hit[0]
