"""Rewriters, one module per format: find a file's key assignments and rewrite them so the file
asks the vault instead.  Which file gets which rewriter is a row of ``keyguard.formats.kinds``."""

from __future__ import annotations

from keyguard.formats.rewriters._base import Rewriter

__all__ = ["Rewriter"]
