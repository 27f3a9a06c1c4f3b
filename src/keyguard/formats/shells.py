"""Shell assignments for ``keyguard env``: one block to ``eval`` at shell start.

``SHELLS`` maps each shell ``--shell`` accepts to the function that writes one assignment in
its syntax; a kind of file in ``keyguard.formats.kinds`` names its shell by this key.
"""

from __future__ import annotations

from collections.abc import Callable

from keyguard.errors import UsageError


def _posix(var: str, value: str) -> str:
    return f"export {var}='" + value.replace("'", "'\\''") + "'"


def _fish(var: str, value: str) -> str:
    return f"set -gx {var} '" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _csh(var: str, value: str) -> str:
    if "\n" in value:
        raise UsageError(f"{var}: csh cannot hold a value with a newline in one assignment")
    quoted = value.replace("'", "'\\''").replace("!", "\\!")
    return f"setenv {var} '{quoted}'"


def _powershell(var: str, value: str) -> str:
    return f"$env:{var} = '" + value.replace("'", "''") + "'"


SHELLS: dict[str, Callable[[str, str], str]] = {
    "sh": _posix, "bash": _posix, "zsh": _posix, "fish": _fish, "csh": _csh, "tcsh": _csh,
    "powershell": _powershell,
}  # fmt: skip


def assignment(shell: str, var: str, value: str) -> str:
    emit = SHELLS.get(shell)
    if emit is None:
        raise UsageError(f"unknown shell {shell!r}: choose one of {', '.join(SHELLS)}")
    return emit(var, value)


def guess_shell(env_shell: str | None) -> str:
    name = (env_shell or "sh").rsplit("/", 1)[-1]
    return name if name in SHELLS else "sh"
