"""Plug-ins from other packages, through entry-point groups.

* ``keyguard.detectors``: an entry point names a ``keyguard.scan.rules.Rule``, a sequence of
  them, or a callable returning either; its rules join the built-in ones everywhere rules are
  used (scan, hooks, ``keyguard rules``), after them, and may not reuse a built-in id.
* ``keyguard.backends``: an entry point named ``NAME`` makes ``--backend NAME`` (and
  ``backend = "NAME"`` in ``[vault]``) open a vault backend: it names a class or factory
  called without arguments that returns an object with the ``Backend`` protocol's methods.

Listing entry points with ``importlib.metadata`` reads every installed distribution's
metadata (about 30 ms here), and the hook runs on every commit: a first pass only looks for
the group's header in the ``entry_points.txt`` files on ``sys.path`` (under 1 ms), and only a
hit pays for ``importlib.metadata``.  A plug-in that fails to load is a configuration error
naming it (exit status 2), never a silent gap in what is scanned.
"""

from __future__ import annotations

import os
import sys

from keyguard.errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from keyguard.scan.rules import Rule
    from keyguard.vault.backends._base import Backend

DETECTORS = "keyguard.detectors"
BACKENDS = "keyguard.backends"
_BACKEND_METHODS = ("get", "set", "delete", "names", "rollback", "describe")


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
    if not declared(group):
        return []
    from importlib.metadata import entry_points as all_entry_points

    found = {ep.name: ep for ep in all_entry_points(group=group)}  # one per name, as pip sees
    return [found[name] for name in sorted(found)]


def _load(ep: EntryPoint, kind: str) -> object:
    try:
        return ep.load()
    except Exception as exc:  # noqa: BLE001 - any failure of foreign code is reported as such
        raise ConfigError(
            f"{kind} plug-in {ep.name!r} ({ep.value}) cannot be loaded: "
            f"{exc.__class__.__name__}: {exc}"
        ) from None


def detector_rules(builtin: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The rules of every ``keyguard.detectors`` plug-in, checked like user rules."""
    import re

    from keyguard.scan.rules import Rule

    out: list[Rule] = []
    seen = {rule.id for rule in builtin}
    for ep in entry_points(DETECTORS):
        where = f"detector plug-in {ep.name!r} ({ep.value})"
        obj = _load(ep, "detector")
        if callable(obj) and not isinstance(obj, Rule):
            obj = obj()
        rules = (obj,) if isinstance(obj, Rule) else obj
        if not isinstance(rules, (list, tuple)) or not all(isinstance(r, Rule) for r in rules):
            raise ConfigError(f"{where}: gives {type(obj).__name__}, not Rule objects")
        for rule in rules:
            if rule.id in seen:
                raise ConfigError(f"{where}: rule id {rule.id!r} is already used")
            try:
                re.compile(rule.pattern.encode())
            except re.error as exc:
                raise ConfigError(f"{where}: rule {rule.id!r}: invalid pattern: {exc}") from None
            seen.add(rule.id)
            out.append(rule)
    return tuple(out)


def backend_names() -> list[str]:
    return [ep.name for ep in entry_points(BACKENDS)]


def backend(name: str) -> Backend | None:
    """The backend the ``keyguard.backends`` plug-in ``name`` opens, or None without one."""
    ep = next((ep for ep in entry_points(BACKENDS) if ep.name == name), None)
    if ep is None:
        return None
    factory = _load(ep, "backend")
    where = f"backend plug-in {ep.name!r} ({ep.value})"
    if not callable(factory):
        raise ConfigError(f"{where}: names {type(factory).__name__}, not a class or factory")
    made = factory()
    missing = [m for m in _BACKEND_METHODS if not callable(getattr(made, m, None))]
    missing += [a for a in ("name", "writable") if not hasattr(made, a)]
    if missing:
        raise ConfigError(f"{where}: the backend lacks {', '.join(missing)}")
    return made  # type: ignore[no-any-return]
