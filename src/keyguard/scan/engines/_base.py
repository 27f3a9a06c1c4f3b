"""The prefilter Protocol: find every occurrence of a set of literal keywords in a buffer."""

from __future__ import annotations

from collections.abc import Sequence

# (keyword index, start offset, end offset)
Hit = tuple[int, int, int]

TYPE_CHECKING = False  # the Protocols exist for type checking; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Protocol
else:
    Protocol = object


class Prefilter(Protocol):
    """Reports every occurrence of every keyword, overlapping ones included, sorted by start."""

    name: str

    def find(self, data: bytes) -> Sequence[Hit]: ...


class PrefilterFactory(Protocol):
    def __call__(self, keywords: Sequence[bytes]) -> Prefilter: ...
