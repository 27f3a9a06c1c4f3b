"""keyguard's pytest plugin: tests get only the secrets they declare; no report shows one.

    @pytest.mark.secrets("anthropic/ci")
    def test_live(secrets):
        client = Anthropic(api_key=secrets["anthropic/ci"].reveal())

Sources: the environment (``[tool.keyguard.pytest.secrets]`` maps names to variables, as CI
provides them), then the vault.  While a test runs, configured secret variables it did not
declare are absent; declared ones are set for that test only.  Every value is registered with
a Redactor that scrubs reports (in the worker, before xdist serialises them), parametrize
ids, warnings, log records and the terminal.  Disable with ``-p no:keyguard``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from collections.abc import Mapping
from typing import Any

import pytest

from keyguard.redact.redactor import Redactor

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.config import PytestConfig


class Secret:
    """A secret handed to a test: ``str``, ``repr``, formatting and pickling never show it."""

    __slots__ = ("_value", "name")
    name: str

    def __init__(self, name: str, value: str) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_value", value)

    def reveal(self) -> str:
        return str(object.__getattribute__(self, "_value"))

    def __repr__(self) -> str:
        return f"Secret({self.name!r})"

    def __str__(self) -> str:
        return f"[REDACTED:{self.name}]"

    def __format__(self, spec: str) -> str:
        return str(self)

    def __reduce__(self) -> Any:
        raise TypeError(f"Secret {self.name!r} cannot be pickled")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Secret is immutable")

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Secret)
            and other.name == self.name
            and other.reveal() == self.reveal()
        )

    def __hash__(self) -> int:
        return hash(self.name)


class UndeclaredSecret(KeyError):
    pass


class Secrets(Mapping[str, Secret]):
    """What a test may use: its declared secrets, by name."""

    def __init__(self, available: dict[str, Secret], declared: tuple[str, ...]) -> None:
        self._available = available
        self._declared = declared

    def __getitem__(self, name: str) -> Secret:
        if name not in self._declared:
            raise UndeclaredSecret(
                f"{name} was not declared for this test: add @pytest.mark.secrets({name!r})"
            )
        return self._available[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._declared)

    def __len__(self) -> int:
        return len(self._declared)

    def __repr__(self) -> str:
        return f"Secrets({list(self._declared)!r})"


class _State:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        settings = _settings(config)
        self.mapping = dict(settings.secrets)
        self.require = bool(config.getoption("keyguard_require")) or settings.require
        # Reports and the terminal also mask the head of a key pytest cut short; log records,
        # which an application's own redaction may handle too, get the plain rules.
        self.redactor = Redactor(cut_keys=True)
        self.log_redactor = Redactor()
        self.environment: dict[str, str] = {}  # configured variables, held out of os.environ
        self.resolved: dict[str, Secret] = {}
        self.vault: Any = None
        self.logging_saved: Any = None
        # An xdist controller runs no tests: its workers inherit the environment, so it keeps
        # the variables there (each worker holds them out of its own tests).
        controller = bool(getattr(config.option, "numprocesses", None)) and not hasattr(
            config, "workerinput"
        )
        for name, var in self.mapping.items():
            value = os.environ.get(var) if controller else os.environ.pop(var, None)
            if value is not None:
                self.environment[var] = value
                self._register(name, value)

    def _register(self, name: str, value: str) -> None:
        with contextlib.suppress(TypeError, ValueError):  # too short to mask: still handed over
            self.redactor.add(value, name)
            self.log_redactor.add(value, name)

    def resolve(self, name: str) -> tuple[Secret | None, str]:
        if name in self.resolved:
            return self.resolved[name], ""
        var = self.mapping.get(name)
        if var and var in self.environment:
            secret = Secret(name, self.environment[var])
            self.resolved[name] = secret
            return secret, ""
        where = [f"${var}" if var else "no environment mapping in [tool.keyguard.pytest.secrets]"]
        try:
            from keyguard.errors import KeyguardError

            if self.vault is None:  # the vault's edge: its configuration is read when needed
                from keyguard.config import read_vault
                from keyguard.vault import open_vault

                self.vault = open_vault(read_vault(os.environ))
            value = self.vault.get(name)
        except KeyguardError as exc:
            text = str(exc)
            where.append("the vault" + (" (not there)" if "no secret" in text else f" ({text})"))
            return None, f"{name} is not available: looked in " + " and ".join(where)
        secret = Secret(name, value)
        self._register(name, value)
        self.resolved[name] = secret
        return secret, ""

    def install_logging(self) -> None:
        import logging

        from keyguard.redact.patches import scrub_record

        previous = logging.getLogRecordFactory()
        redactor = self.log_redactor

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record: logging.LogRecord = previous(*args, **kwargs)
            scrub_record(record, redactor)
            return record

        self.logging_saved = previous
        logging.setLogRecordFactory(factory)

    def restore(self) -> None:
        import logging

        if self.logging_saved is not None:
            logging.setLogRecordFactory(self.logging_saved)
        os.environ.update(self.environment)


STATE = pytest.StashKey[_State]()
DECLARED = pytest.StashKey[dict[str, Secret]]()


def _settings(config: pytest.Config) -> PytestConfig:
    """``[tool.keyguard.pytest]`` of the project's ``pyproject.toml``, read once here."""
    from keyguard.config import read_pytest
    from keyguard.errors import ConfigError

    path = config.rootpath / "pyproject.toml"
    try:
        return read_pytest(str(path) if path.is_file() else None)
    except ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("keyguard", "keyguard: scoped secrets and report scrubbing")
    group.addoption(
        "--keyguard-require",
        action="store_true",
        dest="keyguard_require",
        help="fail (instead of skip) tests whose declared secrets are unavailable",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "secrets(*names): the secrets this test may use, by name")
    state = _State(config)
    config.stash[STATE] = state
    state.install_logging()
    config.pluginmanager.register(_WarningScrubber(state.redactor), "keyguard-warnings")
    from keyguard.redact.stream import RedactingStream

    if not isinstance(sys.stdout, RedactingStream):  # the terminal, -s output included
        config.stash[_STDOUT] = sys.stdout
        sys.stdout = RedactingStream(sys.stdout, state.redactor)


_STDOUT = pytest.StashKey[Any]()


def pytest_unconfigure(config: pytest.Config) -> None:
    state = config.stash.get(STATE, None)
    if state is not None:
        state.restore()
    original = config.stash.get(_STDOUT, None)
    if original is not None:
        sys.stdout.flush()
        sys.stdout = original


def _declared(item: pytest.Item) -> tuple[str, ...]:
    names: list[str] = []
    for marker in item.iter_markers("secrets"):
        names.extend(str(n) for n in marker.args)
    return tuple(dict.fromkeys(names))


@pytest.fixture(autouse=True)
def _keyguard_scope(request: pytest.FixtureRequest) -> Iterator[None]:
    """Set the declared secrets' variables for this test only (skip or fail when missing)."""
    state: _State = request.config.stash[STATE]
    declared = _declared(request.node)
    found: dict[str, Secret] = {}
    with pytest.MonkeyPatch.context() as patch:
        for name in declared:
            secret, reason = state.resolve(name)
            if secret is None:
                if state.require:
                    pytest.fail(reason + " (--keyguard-require)", pytrace=False)
                pytest.skip(reason)
            found[name] = secret
            var = state.mapping.get(name)
            if var:
                patch.setenv(var, secret.reveal())
        request.node.stash[DECLARED] = found
        yield


@pytest.fixture
def secrets(request: pytest.FixtureRequest) -> Secrets:
    """The secrets this test declared with ``@pytest.mark.secrets(...)``, by name."""
    declared = request.node.stash.get(DECLARED, {})
    return Secrets(declared, tuple(declared))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    from keyguard.pytest_scrub import scrub_report

    report = yield
    state = item.config.stash.get(STATE, None)
    if state is not None:
        scrub_report(report, state.redactor)
        report.nodeid = state.redactor.redact(report.nodeid)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    from keyguard.pytest_scrub import scrub_report

    report = yield
    state = collector.config.stash.get(STATE, None)
    if state is not None:
        scrub_report(report, state.redactor)
    return report


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    if isinstance(val, Secret):
        return str(val.name)
    state = config.stash.get(STATE, None)
    if state is not None and isinstance(val, (str, bytes)):
        # Redacted here, where pytest still tells equal ids apart, rather than only in the
        # report: a node id that changes after collection breaks pytest-xdist's scheduling.
        text = val if isinstance(val, str) else val.decode("ascii", "backslashreplace")
        redacted = state.redactor.redact(text)
        if redacted != text:
            return redacted
    return None


class _WarningScrubber:
    """Registered per session: ``pytest_warning_recorded`` gets no config to find state by."""

    def __init__(self, redactor: Redactor) -> None:
        self.redactor = redactor

    @pytest.hookimpl(tryfirst=True)
    def pytest_warning_recorded(self, warning_message: Any) -> None:
        message = warning_message.message
        text = str(message)
        redacted = self.redactor.redact(text)
        if redacted != text:
            try:
                warning_message.message = type(message)(redacted)
            except Exception:  # noqa: BLE001 - a warning class with an unusual constructor
                warning_message.message = UserWarning(redacted)
