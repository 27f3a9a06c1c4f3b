"""Process-wide patches: the logging record factory, uncaught exceptions, thread and
unraisable hooks, warnings.  Logging and these hooks are process-wide by nature; this module
keeps the one documented piece of global state: the active Redactor and what it replaced.
(Not to be confused with ``keyguard.hooks``, the git hooks.)"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sys
import threading
import traceback
import warnings
from typing import Any

from keyguard.redact.redactor import Redactor


@dataclasses.dataclass(frozen=True, slots=True)
class _Installed:
    redactor: Redactor
    saved: dict[str, Any] = dataclasses.field(default_factory=dict)  # what was replaced


_active: _Installed | None = None


def active() -> Redactor | None:
    return None if _active is None else _active.redactor


def scrub_record(record: logging.LogRecord, redactor: Redactor) -> None:
    """Merge message and args, then redact; pre-render and redact the traceback and stack,
    so every formatter of every handler reuses the redacted text."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a bad format string: keep what logging would show
        message = str(record.msg)
    record.msg = redactor.redact(message)
    record.args = None
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = redactor.redact(text)
    elif record.exc_text:
        record.exc_text = redactor.redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redactor.redact(record.stack_info)


def _format(exc_type: Any, value: Any, tb: Any) -> str:
    return "".join(traceback.format_exception(exc_type, value, tb))


def install(redactor: Redactor) -> Redactor:
    global _active
    if _active is not None:
        uninstall()
    state = _Installed(redactor)
    saved = state.saved
    saved["factory"] = logging.getLogRecordFactory()
    saved["excepthook"] = sys.excepthook
    saved["threading"] = threading.excepthook
    saved["unraisable"] = sys.unraisablehook
    saved["showwarning"] = warnings.showwarning
    previous_factory = saved["factory"]

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = previous_factory(*args, **kwargs)
        scrub_record(record, redactor)
        return record

    def excepthook(exc_type: Any, value: Any, tb: Any) -> None:
        sys.stderr.write(redactor.redact(_format(exc_type, value, tb)))

    def thread_hook(args: Any) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "<unknown>"
        text = f"Exception in thread {name}:\n" + _format(
            args.exc_type, args.exc_value, args.exc_traceback
        )
        sys.stderr.write(redactor.redact(text))

    def unraisable_hook(unraisable: Any) -> None:
        head = unraisable.err_msg or "Exception ignored in"
        text = f"{head}: {unraisable.object!r}\n"
        if unraisable.exc_type is not None:
            text += _format(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback)
        sys.stderr.write(redactor.redact(text))

    def showwarning(
        message: Any,
        category: Any,
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        text = redactor.redact(warnings.formatwarning(message, category, filename, lineno, line))
        stream = file if file is not None else sys.stderr
        with contextlib.suppress(OSError):
            stream.write(text)

    logging.setLogRecordFactory(factory)
    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    sys.unraisablehook = unraisable_hook
    warnings.showwarning = showwarning
    _active = state
    return redactor


def uninstall() -> None:
    global _active
    if _active is None:
        return
    saved = _active.saved
    logging.setLogRecordFactory(saved["factory"])
    sys.excepthook = saved["excepthook"]
    threading.excepthook = saved["threading"]
    sys.unraisablehook = saved["unraisable"]
    warnings.showwarning = saved["showwarning"]
    _active = None
