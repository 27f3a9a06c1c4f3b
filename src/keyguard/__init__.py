"""keyguard: keep API keys out of the places people paste them.

The package root stays light: ``keyguard scan`` and the pre-commit hook import it on every commit.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
