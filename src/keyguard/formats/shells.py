"""Shell assignments for ``keyguard env``: one block to ``eval`` at shell start."""

from __future__ import annotations

from keyguard.errors import UsageError

SHELLS = ("sh", "bash", "zsh", "fish", "csh", "tcsh", "powershell")


def assignment(shell: str, var: str, value: str) -> str:
    if shell in {"sh", "bash", "zsh"}:
        return f"export {var}='" + value.replace("'", "'\\''") + "'"
    if shell == "fish":
        return f"set -gx {var} '" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if shell in {"csh", "tcsh"}:
        if "\n" in value:
            raise UsageError(f"{var}: csh cannot hold a value with a newline in one assignment")
        quoted = value.replace("'", "'\\''").replace("!", "\\!")
        return f"setenv {var} '{quoted}'"
    if shell == "powershell":
        return f"$env:{var} = '" + value.replace("'", "''") + "'"
    raise UsageError(f"unknown shell {shell!r}: choose one of {', '.join(SHELLS)}")


def guess_shell(env_shell: str | None) -> str:
    name = (env_shell or "sh").rsplit("/", 1)[-1]
    return name if name in SHELLS else "sh"
