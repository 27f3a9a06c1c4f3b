"""Objects named by ``"module:attr"`` strings: keyguard's registry tables and other packages'
entry points.

A registry table (``keyguard.vault.plugins.BACKENDS``) maps a name to a ``"module:attr"``
string, as an entry point's value does, so built-ins and plug-ins load the same way and a
command imports only the module it uses.

Listing entry points with ``importlib.metadata`` reads every installed distribution's
metadata (about 30 ms here), and the hook runs on every commit: a first pass only looks for
the group's header in the ``entry_points.txt`` files on ``sys.path`` (under 1 ms), and only a
hit pays for ``importlib.metadata``.  A plug-in that fails to load is a configuration error
naming it (exit status 2), never a silent gap.
"""

from __future__ import annotations

import os
import sys

from keyguard.errors import ConfigError

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint


def resolve(spec: str) -> object:
    """The object ``"package.module:attr.sub"`` names (an entry point's value; extras ignored)."""
    import importlib

    module, _, attrs = spec.partition("[")[0].strip().partition(":")
    found: object = importlib.import_module(module.strip())
    for attr in filter(None, attrs.strip().split(".")):
        found = getattr(found, attr)
    return found


def declared(group: str) -> bool:
    """Whether an installed distribution on ``sys.path`` declares entry points in ``group``."""
    header = f"[{group}]".encode()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as stream:
                    if header in stream.read():
                        return True
            except OSError:
                continue
    return False


def entry_points(group: str) -> list[EntryPoint]:
    """The group's entry points, one per name (as pip sees them), sorted by name."""
    if not declared(group):
        return []
    from importlib.metadata import entry_points as all_entry_points

    found = {ep.name: ep for ep in all_entry_points(group=group)}
    return [found[name] for name in sorted(found)]


def load(ep: EntryPoint, kind: str) -> object:
    """The object a plug-in's entry point names; any failure is a ConfigError naming it."""
    try:
        return resolve(ep.value)
    except Exception as exc:  # noqa: BLE001 - any failure of foreign code is reported as such
        raise ConfigError(
            f"{kind} plug-in {ep.name!r} ({ep.value}) cannot be loaded: "
            f"{exc.__class__.__name__}: {exc}"
        ) from None
