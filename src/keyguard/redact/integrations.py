"""Redaction for structlog, Sentry and handler-level logging."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from keyguard.redact.patches import scrub_record
from keyguard.redact.redactor import Redactor


def redact_tree(value: Any, redactor: Redactor) -> Any:
    """Every string in nested dicts, lists and tuples redacted; keys and other types kept."""
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, dict):
        return {k: redact_tree(v, redactor) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_tree(v, redactor) for v in value)
    return value


def structlog_processor(redactor: Redactor) -> Callable[[Any, str, dict[str, Any]], dict[str, Any]]:
    """Put it after ``format_exc_info``/``dict_tracebacks``/``StackInfoRenderer`` (which
    create the text) and before the renderer.  Note ``dict_tracebacks`` includes local
    variables by default; this processor redacts them too, but consider
    ``ExceptionDictTransformer(show_locals=False)``."""

    def processor(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = redact_tree(event_dict, redactor)
        return result

    return processor


def sentry_options(redactor: Redactor) -> dict[str, Callable[..., Any]]:
    """``sentry_sdk.init(dsn=…, **sentry_options(r))``: events, logs and breadcrumbs are
    redacted before they leave the process (Sentry's own scrubber matches key names only)."""

    def before_send(event: dict[str, Any], _hint: Any) -> dict[str, Any]:
        result: dict[str, Any] = redact_tree(event, redactor)
        return result

    return {
        "before_send": before_send,
        "before_send_log": before_send,
        "before_breadcrumb": before_send,
    }


class RedactingFilter(logging.Filter):
    """For handler-level control: add to each handler (a logger's filters miss child loggers)."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record, self.redactor)
        return True
