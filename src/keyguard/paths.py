"""Where keyguard keeps its files on this machine.  Imports nothing of ours."""

from __future__ import annotations

import os
import sys


def data_dir() -> str:
    """``KEYGUARD_DATA_DIR``, else the platform's data folder + ``keyguard``."""
    explicit = os.environ.get("KEYGUARD_DATA_DIR")
    if explicit:
        return explicit
    if sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Application Support")
    elif os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return os.path.join(base, "keyguard")


def config_file() -> str:
    """``KEYGUARD_CONFIG``, else ``${XDG_CONFIG_HOME:-~/.config}/keyguard/config.toml``."""
    explicit = os.environ.get("KEYGUARD_CONFIG")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.expanduser("~/.config")
    return os.path.join(base, "keyguard", "config.toml")


def vault_file() -> str:
    return os.environ.get("KEYGUARD_VAULT_FILE") or os.path.join(data_dir(), "vault.json")


def machine_key() -> str:
    return os.path.join(data_dir(), "machine.key")


def manifest() -> str:
    return os.path.join(data_dir(), "manifest.json")


def audit_log() -> str:
    return os.path.join(data_dir(), "audit.log")


def fingerprint_key() -> str:
    return os.path.join(data_dir(), "fingerprint.key")
