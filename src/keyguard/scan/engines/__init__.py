"""Prefilter engines, chosen by name: ``portable`` (default) and ``hyperscan`` (optional)."""

from __future__ import annotations

from collections.abc import Sequence

from keyguard.errors import UsageError
from keyguard.scan.engines._base import Hit
from keyguard.scan.engines._base import Prefilter

ENGINE_NAMES = ("auto", "portable", "hyperscan")


def make_prefilter(name: str, keywords: Sequence[bytes]) -> Prefilter:
    """Build the named prefilter; ``auto`` takes Hyperscan when it is installed."""
    if name == "portable":
        from keyguard.scan.engines.portable import AhoCorasickPrefilter

        return AhoCorasickPrefilter(keywords)
    if name == "hyperscan":
        from keyguard.scan.engines.hyperscan import HyperscanPrefilter

        return HyperscanPrefilter(keywords)
    if name == "auto":
        try:
            import hyperscan  # noqa: F401
        except ImportError:
            return make_prefilter("portable", keywords)
        return make_prefilter("hyperscan", keywords)
    raise UsageError(f"unknown engine {name!r}: choose one of {', '.join(ENGINE_NAMES)}")


__all__ = ["ENGINE_NAMES", "Hit", "Prefilter", "make_prefilter"]
