"""The one exception root of keyguard and the exit codes it maps to.

Every expected failure is a :class:`KeyguardError` subclass whose message a user can act on.
``keyguard.cli.main`` catches the root and turns ``exit_code`` into the process's exit status;
nothing else in the package decides an exit code.  Messages never contain a secret value.
"""

from __future__ import annotations

# Exit codes, documented in docs/exit-codes.md and used everywhere.
EXIT_OK = 0
EXIT_FINDINGS = 1  # findings, or an expected error the user can act on
EXIT_USAGE = 2  # bad usage or unreadable input
EXIT_REWRITTEN = 3  # files were rewritten (baseline or migration in hook mode)
EXIT_CRASH = 4  # an unexpected error: a bug in keyguard
EXIT_INTERRUPTED = 130


class KeyguardError(Exception):
    """Root of every error keyguard raises on purpose."""

    exit_code = EXIT_FINDINGS


class UsageError(KeyguardError):
    """The command line asks for something that cannot be done."""

    exit_code = EXIT_USAGE


class InputError(KeyguardError):
    """An input could not be read or parsed; the message names it."""

    exit_code = EXIT_USAGE


class ConfigError(KeyguardError):
    """A configuration file is invalid; the message names the file and the key."""

    exit_code = EXIT_USAGE


class VaultError(KeyguardError):
    """A vault operation failed in a way the user can act on (exit 1); names the secret."""


class SecretNotFound(VaultError):
    """No secret by that name."""


class SecretExists(VaultError):
    """A secret by that name exists and ``--replace`` was not given."""


class BackendUnavailable(VaultError):
    """The chosen vault backend cannot run here (no keychain, no D-Bus, no server)."""


class VaultLocked(VaultError):
    """The keychain or vault is locked, or the passphrase is wrong."""


class VaultCorrupt(VaultError):
    """The vault file failed authentication or cannot be parsed: nothing was changed."""


class InsecureVault(VaultError):
    """The vault file is readable by others or owned by another user."""


class RewriteRefused(KeyguardError):
    """A file (or one value in it) cannot be migrated safely; the message says why."""

    exit_code = EXIT_FINDINGS


class EngineUnavailable(KeyguardError):
    """The requested scan engine cannot run here (for example Hyperscan is not installed)."""

    exit_code = EXIT_USAGE
