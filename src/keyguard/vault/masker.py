"""Streaming masker for ``keyguard run``: replaces known values in a byte stream.

Bytes that cannot be the start of a secret go out at once; only a tail that is a prefix of
some secret is held, until the next bytes decide it, a newline arrives (for single-line
secrets), or the caller flushes after a short silence.  Output without secrets passes byte
for byte.
"""

from __future__ import annotations

from collections.abc import Mapping


class StreamMasker:
    def __init__(self, values: Mapping[str, bytes], marker: str = "[REDACTED:{name}]") -> None:
        """``values``: label → secret bytes (8 bytes or more each)."""
        import ahocorasick_rs

        items = sorted(((v, k) for k, v in values.items() if v), key=lambda item: -len(item[0]))
        self._values = [v for v, _ in items]
        self._labels = [marker.format(name=k).encode() for _, k in items]
        self._automaton = (
            ahocorasick_rs.BytesAhoCorasick(
                self._values, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST
            )
            if self._values
            else None
        )
        self._prefixes = {v[:i] for v in self._values for i in range(1, len(v))}
        self._longest = max((len(v) for v in self._values), default=0)
        self._multiline = any(b"\n" in v for v in self._values)
        self._held = b""

    @property
    def holding(self) -> bool:
        return bool(self._held)

    def feed(self, data: bytes) -> bytes:
        """Masked output that is safe to write now."""
        buffer = self._held + data
        self._held = b""
        if self._automaton is None:
            return buffer
        out = []
        position = 0
        for index, start, end in self._automaton.find_matches_as_indexes(buffer):
            out.append(buffer[position:start])
            out.append(self._labels[index])
            position = end
        rest = buffer[position:]
        hold = self._tail(rest)
        if hold:
            out.append(rest[:-hold])
            self._held = rest[-hold:]
        else:
            out.append(rest)
        return b"".join(out)

    def _tail(self, rest: bytes) -> int:
        """Length of the longest suffix of ``rest`` that could still grow into a secret."""
        upper = min(len(rest), self._longest - 1)
        for length in range(upper, 0, -1):
            suffix = rest[-length:]
            if not self._multiline and b"\n" in suffix:
                continue  # a line break ends any single-line secret
            if suffix in self._prefixes:
                return length
        return 0

    def flush(self) -> bytes:
        """Release a held tail (end of stream, or silence): it is not a whole secret."""
        held, self._held = self._held, b""
        return held
