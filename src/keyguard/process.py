"""Run a program and read its output, without importing ``subprocess`` where ``os`` suffices.

The git hook runs on every commit, and ``import subprocess`` (threading, signal handling,
selectors, …) took about a quarter of its time.  On POSIX, ``os.posix_spawnp``, pipes and
``select.poll`` do all keyguard needs; elsewhere ``subprocess`` is used.  SIGPIPE, which
Python ignores, is reset to its default in the child, as ``subprocess`` does.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Mapping
    from collections.abc import Sequence
    from typing import IO

CHUNK = 1 << 16
_SPAWN = hasattr(os, "posix_spawnp") and hasattr(os, "POSIX_SPAWN_DUP2")


def run(
    argv: Sequence[str], env: Mapping[str, str], stdin: bytes = b""
) -> tuple[int, bytes, bytes]:
    """``(exit status, stdout, stderr)``; ``OSError`` when the program cannot be started."""
    if not _SPAWN:
        import subprocess

        proc = subprocess.run(list(argv), input=stdin, capture_output=True, env=dict(env))
        return proc.returncode, proc.stdout, proc.stderr
    import select

    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    try:
        pid = _spawn(argv, env, [(os.POSIX_SPAWN_DUP2, in_r, 0), (os.POSIX_SPAWN_DUP2, out_w, 1),
                                 (os.POSIX_SPAWN_DUP2, err_w, 2)])  # fmt: skip
    except OSError:
        for fd in (in_r, in_w, out_r, out_w, err_r, err_w):
            os.close(fd)
        raise
    for fd in (in_r, out_w, err_w):
        os.close(fd)
    chunks: dict[int, list[bytes]] = {out_r: [], err_r: []}
    poller = select.poll()
    for fd in chunks:
        poller.register(fd, select.POLLIN)
    pending = memoryview(stdin)
    if pending:
        os.set_blocking(in_w, False)
        poller.register(in_w, select.POLLOUT)
    else:
        os.close(in_w)
    open_fds = len(chunks) + (1 if pending else 0)
    while open_fds:
        for fd, _event in poller.poll():
            if fd == in_w:
                try:
                    pending = pending[os.write(in_w, pending[:CHUNK]) :]
                except BlockingIOError:
                    continue
                except BrokenPipeError:
                    pending = pending[:0]  # the program stopped reading: its status says why
                if not pending:
                    poller.unregister(in_w)
                    os.close(in_w)
                    open_fds -= 1
                continue
            data = os.read(fd, CHUNK)
            if data:
                chunks[fd].append(data)
            else:
                poller.unregister(fd)
                os.close(fd)
                open_fds -= 1
    return _wait(pid), b"".join(chunks[out_r]), b"".join(chunks[err_r])


class Reader:
    """A program's standard output as a file, read as it is written; ``close`` waits for it.

    ``stdin`` is its whole input; ``None`` starts the program at once with an open pipe, and
    ``feed`` later gives the input (up to ``PIPE_SAFE`` bytes, which cannot block), so the
    program's start-up overlaps whatever the caller does meanwhile."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], stdin: bytes | None) -> None:
        self._stdin: int | IO[bytes] | None = None
        self._wait: Callable[[], int]
        if not _SPAWN:
            import subprocess
            import tempfile

            with tempfile.TemporaryFile() as spool:
                spool.write(stdin or b"")
                spool.seek(0)
                proc = subprocess.Popen(list(argv), stdout=subprocess.PIPE,
                                        stdin=subprocess.PIPE if stdin is None else spool,
                                        stderr=subprocess.DEVNULL, env=dict(env))  # fmt: skip
            assert proc.stdout is not None
            self._stdin = proc.stdin
            self.stdout: IO[bytes] = proc.stdout
            self._wait = proc.wait
            return
        if stdin is None:
            source, self._stdin = os.pipe()
        else:
            source = _stdin_source(stdin)
        out_r, out_w = os.pipe()
        try:
            pid = _spawn(argv, env, [
                (os.POSIX_SPAWN_DUP2, source, 0), (os.POSIX_SPAWN_DUP2, out_w, 1),
                (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])  # fmt: skip
        except OSError:
            os.close(out_r)
            if isinstance(self._stdin, int):
                os.close(self._stdin)
            raise
        finally:
            os.close(source)
            os.close(out_w)
        self.stdout = os.fdopen(out_r, "rb")
        self._wait = lambda: _wait(pid)

    def feed(self, data: bytes) -> None:
        """Give the program its input and close it; ``data`` must be under ``PIPE_SAFE``."""
        if len(data) >= PIPE_SAFE:
            raise ValueError("input too large to write before reading")
        stdin, self._stdin = self._stdin, None
        if isinstance(stdin, int):
            try:
                os.write(stdin, data)
            finally:
                os.close(stdin)
        elif stdin is not None:
            with stdin:
                stdin.write(data)

    def close(self) -> int:
        """Close its input (if ``feed`` was not called) and its output; its exit status."""
        if self._stdin is not None:
            self.feed(b"")
        self.stdout.close()
        return self._wait()


def _stdin_source(data: bytes) -> int:
    """A readable descriptor holding ``data``: a pipe when it fits in the pipe's buffer (so
    writing cannot block), else an unlinked temporary file."""
    if len(data) < PIPE_SAFE:
        read, write = os.pipe()
        os.write(write, data)
        os.close(write)
        return read
    import tempfile

    with tempfile.TemporaryFile() as spool:
        spool.write(data)
        spool.flush()
        fd = os.dup(spool.fileno())
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


PIPE_SAFE = 16 << 10  # well under the smallest pipe buffer (64 KiB on Linux, 16 KiB on macOS)


def _spawn(argv: Sequence[str], env: Mapping[str, str], actions: list[tuple[object, ...]]) -> int:
    import signal

    return os.posix_spawnp(argv[0], list(argv), dict(env), file_actions=actions,
                           setsigdef=(signal.SIGPIPE,))  # fmt: skip


def _wait(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)
