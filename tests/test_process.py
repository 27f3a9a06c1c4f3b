"""keyguard.process: programs run through os.posix_spawnp, with pipes and poll."""

from __future__ import annotations

import os
import sys

import pytest

from keyguard import process

ENV = dict(os.environ)
PY = sys.executable


def test_run_collects_output_error_and_status() -> None:
    code, out, err = process.run(
        [PY, "-c", "import sys; sys.stdout.write('out'); sys.stderr.write('err'); sys.exit(3)"],
        ENV,
    )
    assert (code, out, err) == (3, b"out", b"err")


def test_run_feeds_large_input_while_reading_large_output() -> None:
    data = os.urandom(3 << 20)  # far beyond any pipe buffer, both ways: no deadlock
    script = "import sys; d = sys.stdin.buffer.read(); sys.stdout.buffer.write(d); " \
             "sys.stderr.buffer.write(d[:100000])"  # fmt: skip
    code, out, err = process.run([PY, "-c", script], ENV, data)
    assert code == 0 and out == data and err == data[:100000]


def test_a_program_that_does_not_read_its_input() -> None:
    code, out, _ = process.run([PY, "-c", "print('done')"], ENV, b"x" * (4 << 20))
    assert (code, out) == (0, b"done\n")


def test_missing_program_and_signals() -> None:
    with pytest.raises(FileNotFoundError):
        process.run(["keyguard-no-such-program"], ENV)
    code, _, _ = process.run([PY, "-c", "import os, signal; os.kill(os.getpid(), 15)"], ENV)
    assert code == -15
    # SIGPIPE, which Python ignores, is back to its default in the child, as with subprocess:
    # `head` closing the pipe ends `yes` (an ignored SIGPIPE would leave it failing writes)
    code, out, _ = process.run(["sh", "-c", "yes | head -n 2; echo $?"], ENV)
    assert (code, out) == (0, b"y\ny\n0\n")
    if sys.platform == "linux":
        _, status, _ = process.run(["cat", "/proc/self/status"], ENV)
        ignored = next(line for line in status.splitlines() if line.startswith(b"SigIgn:"))
        assert not int(ignored.split()[1], 16) & (1 << (13 - 1))  # SIGPIPE is 13


@pytest.mark.parametrize("size", [10, process.PIPE_SAFE + 1])
def test_reader_streams_output(size: int) -> None:
    script = "import sys; n = len(sys.stdin.buffer.read()); sys.stdout.write('x' * n * 1000)"
    reader = process.Reader([PY, "-c", script], ENV, b"a" * size)
    chunks = iter(lambda: reader.stdout.read(1 << 16), b"")
    assert sum(len(c) for c in chunks) == size * 1000
    assert reader.close() == 0


def test_reader_started_before_its_input() -> None:
    reader = process.Reader([PY, "-c", "import sys; print(sys.stdin.read().upper())"], ENV, None)
    reader.feed(b"late input")
    assert reader.stdout.read() == b"LATE INPUT\n"
    assert reader.close() == 0
    unused = process.Reader([PY, "-c", "import sys; sys.stdin.read()"], ENV, None)
    assert unused.close() == 0  # closing without feeding ends its input
    late = process.Reader([PY, "-c", "pass"], ENV, None)
    with pytest.raises(ValueError, match="too large"):
        late.feed(b"x" * process.PIPE_SAFE)
    assert late.close() == 0
