"""The leak matrix: for a known value and for a pattern-matched key, no surface shows either."""

from __future__ import annotations

import gc
import io
import json
import logging
import os
import random
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import keyguard.redact
from keyguard.redact import Redactor
from keyguard.testing import tokens

KNOWN = "sk-ant-api03-" + "Wq8" * 31 + "AA"  # registered by name
LABEL = "anthropic/default"


@pytest.fixture
def key() -> str:
    """A GitHub token nobody registered: found by its pattern alone."""
    return tokens.github_classic(random.Random(99))


def leaks(text: str, key: str) -> list[str]:
    found = []
    for secret in (KNOWN, key):
        body = secret[13:] if secret.startswith("sk-ant") else secret[4:]
        for i in range(len(body) - 12 + 1):
            if body[i : i + 12] in text:
                found.append(secret[:6] + "…fragment")
                break
    return found


@pytest.fixture
def redactor() -> Iterator[Redactor]:
    with keyguard.redact.installed({LABEL: KNOWN}, environment=False) as r:
        yield r


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    logger = logging.getLogger("leaktest")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    yield logger, stream
    logger.handlers.clear()


def test_message_and_args_of_any_type(redactor: Redactor, log, key: str) -> None:
    logger, stream = log
    logger.info("known %s and key %s", KNOWN, key)
    logger.info("dict %r", {"token": KNOWN, "gh": key})
    logger.info(["list", KNOWN, key])
    logger.info("%(a)s %(b)s", {"a": KNOWN, "b": key})
    text = stream.getvalue()
    assert "[REDACTED:anthropic/default]" in text and "[REDACTED:github-token]" in text
    assert leaks(text, key) == []


def test_child_logger_and_handler_added_later(redactor: Redactor, log, key: str) -> None:
    logger, stream = log
    late = io.StringIO()
    logger.addHandler(logging.StreamHandler(late))
    logging.getLogger("leaktest.child.grandchild").warning("oops %s %s", KNOWN, key)
    assert stream.getvalue() and late.getvalue()
    assert leaks(stream.getvalue() + late.getvalue(), key) == []


@pytest.mark.skipif(sys.version_info < (3, 11), reason="ExceptionGroup and notes are 3.11+")
def test_exc_info_through_two_handlers_with_chains_groups_and_notes(
    redactor: Redactor, log, key: str
) -> None:
    logger, stream = log
    second = io.StringIO()
    logger.addHandler(logging.StreamHandler(second))
    try:
        try:
            raise ValueError(f"inner {KNOWN}")
        except ValueError as inner:
            group = ExceptionGroup(f"group {key}", [KeyError(KNOWN), inner])  # noqa: F821 - 3.11+
            group.add_note(f"note {KNOWN}")
            raise RuntimeError(f"outer {key}") from group
    except RuntimeError:
        logger.exception("failed with %s", KNOWN)
    text = stream.getvalue() + second.getvalue()
    assert "ExceptionGroup" in text and "note [REDACTED" in text and text.count("Traceback") >= 2
    assert leaks(text, key) == []


def test_stack_info(redactor: Redactor, log, key: str) -> None:
    logger, stream = log
    record = logger.makeRecord(
        "leaktest",
        logging.INFO,
        __file__,
        1,
        "m",
        None,
        None,
        sinfo=f"Stack (most recent call last):\n  x = {KNOWN!r} {key}",
    )
    logger.handle(record)
    assert "Stack (most recent call last)" in stream.getvalue()
    assert leaks(stream.getvalue(), key) == []


def test_thread_exceptions(
    redactor: Redactor, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    def work() -> None:
        raise RuntimeError(f"in thread {KNOWN} {key}")

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join()
    err = capsys.readouterr().err
    assert "Exception in thread worker" in err and leaks(err, key) == []


def test_unraisable_exceptions(
    redactor: Redactor, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    class Leaky:
        def __del__(self) -> None:
            raise RuntimeError(f"in __del__ {KNOWN} {key}")

    Leaky()
    gc.collect()
    err = capsys.readouterr().err
    assert "Exception ignored" in err and leaks(err, key) == []


def test_warnings(redactor: Redactor, capsys: pytest.CaptureFixture[str], key: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn(f"deprecated use of {KNOWN} {key}", UserWarning, stacklevel=1)
    err = capsys.readouterr().err
    assert "UserWarning" in err and leaks(err, key) == []


def test_print_through_a_wrapped_stream_with_split_writes(redactor: Redactor, key: str) -> None:
    sink = io.StringIO()
    stream = keyguard.redact.wrap_stream(sink, redactor)
    print("value:", KNOWN[:30], end="", file=stream)
    print(KNOWN[30:], "and", key[:10], end="", file=stream)
    print(key[10:], file=stream)
    stream.flush()
    assert sink.getvalue() == "value: [REDACTED:anthropic/default] and [REDACTED:github-token]\n"


def test_uncaught_exception_in_a_process(tmp_path: Path, key: str) -> None:
    script = tmp_path / "app.py"
    script.write_text(
        "import keyguard.redact\n"
        f"keyguard.redact.install({{'anthropic/default': {KNOWN!r}}}, environment=False)\n"
        f"secret = {KNOWN!r}\n"
        f"raise SystemError('boom ' + secret + ' ' + {key!r})\n"
    )
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert proc.returncode == 1 and "SystemError: boom [REDACTED" in proc.stderr
    assert leaks(proc.stderr, key) == []


def test_structlog_json_with_tracebacks_and_locals(redactor: Redactor, key: str) -> None:
    structlog = pytest.importorskip("structlog")
    sink = io.StringIO()
    structlog.configure(
        processors=[
            structlog.processors.dict_tracebacks,  # shows locals by default
            keyguard.redact.structlog_processor(redactor),
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.PrintLoggerFactory(sink),
    )
    try:
        logger = structlog.get_logger()
        local_secret = KNOWN  # noqa: F841 - a local the traceback renders
        try:
            raise ValueError(f"bad {key}")
        except ValueError:
            logger.exception("failed", token=KNOWN)
    finally:
        structlog.reset_defaults()
    text = sink.getvalue()
    event = json.loads(text)
    assert event["token"] == "[REDACTED:anthropic/default]" and "exception" in event
    assert leaks(text, key) == []


def test_sentry_event(redactor: Redactor, key: str) -> None:
    sentry_sdk = pytest.importorskip("sentry_sdk")
    from sentry_sdk.transport import Transport

    sent: list[dict[str, object]] = []

    class Recorder(Transport):
        def capture_envelope(self, envelope: object) -> None:
            for item in envelope.items:  # type: ignore[attr-defined]
                if item.payload.json is not None:
                    sent.append(item.payload.json)

    sentry_sdk.init(
        dsn="https://public@sentry.invalid/1",
        transport=Recorder,
        default_integrations=False,
        **keyguard.redact.sentry_options(redactor),
    )
    try:
        local_secret = KNOWN  # noqa: F841 - captured as a frame variable
        try:
            raise ValueError(f"sentry {KNOWN} {key}")
        except ValueError as exc:
            sentry_sdk.add_breadcrumb(message=f"crumb {KNOWN}")
            sentry_sdk.capture_exception(exc)
        sentry_sdk.flush()
    finally:
        sentry_sdk.init()  # a disabled client again
    text = json.dumps(sent)
    assert sent and "ValueError" in text and "[REDACTED:anthropic/default]" in text
    assert leaks(text, key) == []


def test_keyguard_redact_across_a_block_boundary(tmp_path: Path, key: str) -> None:
    from keyguard.cli.redact import BLOCK

    path = tmp_path / "big.log"
    prefix = b"x" * (BLOCK - 20)  # one long line: the value straddles the first block's end
    path.write_bytes(prefix + b" " + KNOWN.encode() + b" " + key.encode() + b" tail\nnext line\n")
    env = {"PATH": "/usr/bin:/bin", "MY_API_KEY": KNOWN}
    if os.environ.get("PYTHONPATH"):  # the keyguard under test, not an installed one
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    proc = subprocess.run(
        [sys.executable, "-m", "keyguard", "redact", str(path)], env=env, capture_output=True
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert out.endswith(" [REDACTED:MY_API_KEY] [REDACTED:github-token] tail\nnext line\n")
    assert leaks(out, key) == []


def test_uninstall_restores_everything() -> None:
    before = (
        logging.getLogRecordFactory(),
        sys.excepthook,
        threading.excepthook,
        sys.unraisablehook,
        warnings.showwarning,
    )
    with keyguard.redact.installed({LABEL: KNOWN}, environment=False):
        assert keyguard.redact.active() is not None
    after = (
        logging.getLogRecordFactory(),
        sys.excepthook,
        threading.excepthook,
        sys.unraisablehook,
        warnings.showwarning,
    )
    assert before == after and keyguard.redact.active() is None


def test_handler_level_filter_without_install(key: str) -> None:
    r = Redactor({LABEL: KNOWN})
    logger = logging.getLogger("filtertest")
    logger.propagate = False
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(keyguard.redact.RedactingFilter(r))
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(KNOWN)
        except ValueError:
            logger.exception("child says %s", key)
    finally:
        logger.handlers.clear()
    assert "[REDACTED:github-token]" in stream.getvalue() and leaks(stream.getvalue(), key) == []
