"""``keyguard run``: a command with secrets in its environment and masked output.

The child gets the secrets in its environment only.  Its stdout and stderr are pumped through
a :class:`keyguard.redact.stream.StreamMasker` each, over one
:class:`~keyguard.redact.redactor.Redactor` of the secrets (raw, in their encodings and by
12-character fragment); output holding no secret passes byte for byte and at once, so an
MCP stdio server's framing and latency are untouched.  Signals are forwarded; the exit status
is the child's (128 + N when a signal ended it).  Nothing of keyguard's own goes to stdout.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import sys
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from keyguard.errors import UsageError
from keyguard.redact.redactor import Redactor
from keyguard.redact.stream import StreamMasker

SILENCE = 0.005  # seconds of quiet after which a held tail is released
FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH")


def run(
    command: Sequence[str], env: Mapping[str, str], secrets: Mapping[str, str], mask: bool
) -> int:
    if not command:
        raise UsageError("keyguard run needs a command after --")
    child_env = dict(env)
    if not mask:
        try:
            os.execvpe(command[0], list(command), child_env)
        except OSError as exc:
            raise UsageError(f"cannot run {command[0]}: {exc.strerror}") from None
    redactor = Redactor(known_values(secrets), patterns=False)
    try:
        proc = subprocess.Popen(
            list(command), env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0
        )
    except OSError as exc:
        raise UsageError(f"cannot run {command[0]}: {exc.strerror}") from None
    previous = _forward_signals(proc)
    try:
        _pump(proc, redactor)
        code = proc.wait()
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)
    return 128 - code if code < 0 else code


def _forward_signals(proc: subprocess.Popen[bytes]) -> dict[signal.Signals, Any]:
    previous: dict[signal.Signals, Any] = {}
    for name in FORWARDED:
        number = getattr(signal, name, None)
        if number is None:
            continue

        def forward(signum: int, _frame: object) -> None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signum)

        previous[number] = signal.signal(number, forward)
    return previous


def known_values(secrets: Mapping[str, str]) -> dict[str, str]:
    """What to mask, by label: each secret of 8 characters or more; a structured one (a JSON
    credentials file) by its string leaves of 8 characters or more."""
    import json

    known: dict[str, str] = {}
    for name, value in secrets.items():
        if len(value) < 8:
            continue
        try:
            Redactor(patterns=False).check(value, name)
        except ValueError:  # a JSON blob: its leaves
            leaves: list[object] = [json.loads(value)]
            while leaves:
                leaf = leaves.pop()
                if isinstance(leaf, dict):
                    leaves.extend(leaf.values())
                elif isinstance(leaf, list):
                    leaves.extend(leaf)
                elif isinstance(leaf, str) and len(leaf) >= 8:
                    known[f"{name}#{len(known)}"] = leaf
            continue
        known[name] = value
    return known


def _pump(proc: subprocess.Popen[bytes], redactor: Redactor) -> None:
    assert proc.stdout is not None and proc.stderr is not None
    outputs = {
        proc.stdout.fileno(): (sys.stdout.buffer, StreamMasker(redactor)),
        proc.stderr.fileno(): (sys.stderr.buffer, StreamMasker(redactor)),
    }
    selector = selectors.DefaultSelector()
    for fd in outputs:
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ)
    open_fds = set(outputs)
    while open_fds:
        holding = any(outputs[fd][1].holding for fd in open_fds)
        events = selector.select(SILENCE if holding else None)
        if not events:  # silence: a held tail is not a secret after all
            for fd in open_fds:
                stream, masker = outputs[fd]
                _write(stream, masker.flush())
            continue
        for key, _ in events:
            fd = int(key.fd)
            stream, masker = outputs[fd]
            try:
                data = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            if not data:
                _write(stream, masker.flush())
                selector.unregister(fd)
                open_fds.discard(fd)
                continue
            _write(stream, masker.feed(data))
    selector.close()


def _write(stream: object, data: bytes) -> None:
    if not data:
        return
    try:
        stream.write(data)  # type: ignore[attr-defined]
        stream.flush()  # type: ignore[attr-defined]
    except BrokenPipeError:
        pass
