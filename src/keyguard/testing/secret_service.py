"""A real Secret Service for tests and benchmarks: gnome-keyring-daemon in its own D-Bus
session (``dbus-run-session``), unlocked with ``--unlock``, its keyring files under ``folder``.

Needs the ``dbus-run-session`` and ``gnome-keyring-daemon`` programs (Debian: ``dbus`` or
``dbus-x11``, ``gnome-keyring``).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def start(folder: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    """The running session and the variables that reach it (``DBUS_SESSION_BUS_ADDRESS``,
    ``XDG_DATA_HOME``, ``XDG_RUNTIME_DIR``); end it with ``stop``."""
    (folder / "run").mkdir(mode=0o700, parents=True)
    env = {
        **os.environ,
        "HOME": str(folder),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_RUNTIME_DIR": str(folder / "run"),
    }
    script = (
        'echo "$DBUS_SESSION_BUS_ADDRESS"; '
        "printf %s test-keyring-password | gnome-keyring-daemon --unlock --components=secrets "
        ">/dev/null; echo unlocked; exec sleep 3600"
    )
    proc = subprocess.Popen(
        ["dbus-run-session", "--", "sh", "-c", script],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    address = proc.stdout.readline().strip()
    if proc.stdout.readline().strip() != "unlocked":
        stop(proc)
        raise RuntimeError("gnome-keyring-daemon did not start")
    return proc, {
        "DBUS_SESSION_BUS_ADDRESS": address,
        "XDG_DATA_HOME": env["XDG_DATA_HOME"],
        "XDG_RUNTIME_DIR": env["XDG_RUNTIME_DIR"],
    }


def stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(10)
    if proc.stdout is not None:
        proc.stdout.close()
