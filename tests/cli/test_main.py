from __future__ import annotations

import io

import pytest

from keyguard import cli
from keyguard.cli.progress import Progress


def test_crash_report_never_prints_the_exception_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "sk-ant-api03-" + "Zq9" * 31 + "AA"

    def boom(args: object) -> int:
        raise ValueError(f"bad value {secret}")

    monkeypatch.delenv("KEYGUARD_DEBUG", raising=False)
    monkeypatch.setattr("keyguard.cli.scan.run", boom)
    assert cli.main(["scan", "."]) == 4
    err = capsys.readouterr().err
    assert "internal error: ValueError" in err and secret not in err


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("keyguard.cli.scan.run", interrupted)
    assert cli.main(["scan", "."]) == 130


def test_progress_waits_then_updates_then_clears(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 0.1, 1.0, 1.05, 2.0])
    monkeypatch.setattr("keyguard.cli.progress.time.monotonic", lambda: next(clock))
    stream = io.StringIO()
    progress = Progress(10, stream)
    progress(1, 100)  # 0.1 s: too early
    assert stream.getvalue() == ""
    progress(5, 5_000_000)  # 1.0 s: shown
    progress(6, 6_000_000)  # 1.05 s: too soon after the last update
    progress(9, 9_000_000)  # 2.0 s
    progress.close()
    text = stream.getvalue()
    assert "scanning: 5/10 files, 5.0 MB" in text and "9/10" in text and "6/10" not in text
    assert text.endswith("\r\033[K")
