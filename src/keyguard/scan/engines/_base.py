"""The prefilter Protocol: find every occurrence of a set of literal keywords in a buffer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

# (keyword index, start offset, end offset)
Hit = tuple[int, int, int]


class Prefilter(Protocol):
    """Reports every occurrence of every keyword, overlapping ones included, sorted by start."""

    name: str

    def find(self, data: bytes) -> Sequence[Hit]: ...


class PrefilterFactory(Protocol):
    def __call__(self, keywords: Sequence[bytes]) -> Prefilter: ...
