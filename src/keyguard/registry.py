"""Registries are typed tables of ``"module:attr"`` strings (as entry points are): nothing is
imported until a row is used, so the hooks' import path stays light.  This resolves one."""

from __future__ import annotations


def load(spec: str) -> object:
    """The object a ``"module:attr"`` string names."""
    from importlib import import_module

    module, _, attr = spec.partition(":")
    return getattr(import_module(module), attr)
