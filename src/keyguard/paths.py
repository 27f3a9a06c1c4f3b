"""Where keyguard keeps its files on this machine.  Imports nothing of ours.

Each function computes a path from the environment it is given; the edges (the CLI, the
pytest plug-in, ``keyguard.dotenv.load``) read them once into ``keyguard.config.VaultConfig``.
Without an ``environ`` argument they use ``os.environ``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def data_dir(environ: Mapping[str, str] | None = None) -> str:
    """``KEYGUARD_DATA_DIR``, else the platform's data folder + ``keyguard``."""
    env = _env(environ)
    explicit = env.get("KEYGUARD_DATA_DIR")
    if explicit:
        return explicit
    if sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Application Support")
    elif os.name == "nt":
        base = env.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    else:
        base = env.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return os.path.join(base, "keyguard")


def config_file(environ: Mapping[str, str] | None = None) -> str:
    """``KEYGUARD_CONFIG``, else ``${XDG_CONFIG_HOME:-~/.config}/keyguard/config.toml``."""
    env = _env(environ)
    explicit = env.get("KEYGUARD_CONFIG")
    if explicit:
        return explicit
    base = env.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "keyguard", "config.toml")


def vault_file(environ: Mapping[str, str] | None = None) -> str:
    env = _env(environ)
    return env.get("KEYGUARD_VAULT_FILE") or os.path.join(data_dir(env), "vault.json")


def machine_key(environ: Mapping[str, str] | None = None) -> str:
    return os.path.join(data_dir(environ), "machine.key")


def manifest(environ: Mapping[str, str] | None = None) -> str:
    return os.path.join(data_dir(environ), "manifest.json")


def audit_log(environ: Mapping[str, str] | None = None) -> str:
    return os.path.join(data_dir(environ), "audit.log")


def fingerprint_key(environ: Mapping[str, str] | None = None) -> str:
    return os.path.join(data_dir(environ), "fingerprint.key")
