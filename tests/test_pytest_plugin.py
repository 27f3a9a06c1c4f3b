"""The pytest plugin, driven through real pytest runs (pytester, in subprocesses)."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

from keyguard.testing import tokens
from keyguard.vault.backends.file import FileVault

FROM_ENV = "sk-ant-api03-" + "Ev7" * 31 + "AA"  # the CI-provided secret
FROM_VAULT = "vault-value-" + "Hq2" * 14  # a secret only in the (file) vault
PYPROJECT = """
[tool.keyguard.pytest.secrets]
"anthropic/ci" = "ANTHROPIC_API_KEY"
"openai/ci" = "OPENAI_API_KEY"
"""


@pytest.fixture
def project(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> pytest.Pytester:
    pytester.makefile(".toml", pyproject=PYPROJECT)
    data = tmp_path / "kgdata"
    FileVault(str(data / "vault.json"), str(data / "machine.key")).set("openai/ci", FROM_VAULT)
    monkeypatch.setenv("KEYGUARD_DATA_DIR", str(data))
    monkeypatch.setenv("KEYGUARD_BACKEND", "file")
    monkeypatch.setenv("ANTHROPIC_API_KEY", FROM_ENV)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("CI", raising=False)
    return pytester


def test_scoped_secrets(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_scope="""
        import os, pickle
        import pytest

        @pytest.fixture(scope="session")
        def session_env():
            return "ANTHROPIC_API_KEY" in os.environ

        @pytest.mark.secrets("anthropic/ci")
        def test_declared(secrets, session_env):
            secret = secrets["anthropic/ci"]
            assert os.environ["ANTHROPIC_API_KEY"] == secret.reveal()
            assert secret.reveal().startswith("sk-ant-api03-")
            assert repr(secret) == "Secret('anthropic/ci')"
            assert str(secret) == f"{secret}" == "[REDACTED:anthropic/ci]"
            with pytest.raises(TypeError):
                pickle.dumps(secret)
            assert session_env is False  # session fixtures never saw it

        def test_undeclared(secrets):
            assert "ANTHROPIC_API_KEY" not in os.environ
            with pytest.raises(KeyError, match="not declared"):
                secrets["anthropic/ci"]

        @pytest.mark.secrets("openai/ci")
        class TestFromTheVault:
            def test_vault(self, secrets):
                assert os.environ["OPENAI_API_KEY"] == secrets["openai/ci"].reveal()
                assert "ANTHROPIC_API_KEY" not in os.environ

        @pytest.mark.secrets("missing/one")
        def test_missing(secrets):
            pass
    """
    )
    result = project.runpytest_subprocess("-rs")
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(["*missing/one is not available: looked in*vault*"])
    required = project.runpytest_subprocess("--keyguard-require")
    required.assert_outcomes(passed=3, errors=1)  # a setup failure: the secret is required


def test_module_marker_and_no_plugin(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_module="""
        import os, pytest
        pytestmark = pytest.mark.secrets("anthropic/ci")

        def test_one():
            assert os.environ["ANTHROPIC_API_KEY"].startswith("sk-ant-")
    """
    )
    project.runpytest_subprocess().assert_outcomes(passed=1)
    disabled = project.runpytest_subprocess("-p", "no:keyguard", "-p", "no:cacheprovider")
    disabled.assert_outcomes(passed=1, warnings=1)  # the variable is simply inherited …
    disabled.stdout.fnmatch_lines(["*PytestUnknownMarkWarning*secrets*"])  # … the plugin is off


LEAKY = """
import logging, os, sys, warnings
import pytest

VALUE = open(os.path.join(os.path.dirname(__file__), "param.txt")).read().strip()
log = logging.getLogger("leaky")

@pytest.mark.secrets("anthropic/ci", "openai/ci")
def test_assert(secrets):
    env = secrets["anthropic/ci"].reveal()
    vault = secrets["openai/ci"].reveal()
    print("stdout", env, vault)
    print("stderr", env, vault, file=sys.stderr)
    log.warning("logged %s %s", env, vault)
    warnings.warn(f"warned {env} {vault}")
    assert env == vault

@pytest.mark.secrets("anthropic/ci", "openai/ci")
def test_locals_and_truncated(secrets):
    long_local = secrets["anthropic/ci"].reveal() * 3
    other = secrets["openai/ci"].reveal()
    assert long_local + other == "x" * 500

@pytest.mark.secrets("anthropic/ci")
def test_skip(secrets):
    pytest.skip(f"skipping because {secrets['anthropic/ci'].reveal()}")

@pytest.mark.secrets("openai/ci")
def test_xfail(secrets):
    pytest.xfail(f"expected {secrets['openai/ci'].reveal()}")

@pytest.mark.secrets("anthropic/ci", "openai/ci")
def test_property(secrets, record_property):
    record_property("key", secrets["anthropic/ci"].reveal())
    record_property("vault", secrets["openai/ci"].reveal())

@pytest.mark.parametrize("value", [VALUE])
def test_param(value):
    assert value.startswith("sk-")
"""


def _fragments(text: str) -> list[str]:
    found = []
    for secret in (FROM_ENV, FROM_VAULT):
        body = secret[13:] if secret.startswith("sk-ant") else secret
        if any(body[i : i + 12] in text for i in range(len(body) - 11)):
            found.append(secret[:8])
    return found


@pytest.mark.parametrize(
    "options",
    [
        ["-l", "-rA", "--tb=long"],
        ["-rA", "--tb=native"],
        ["-rA", "--tb=line"],
        ["-rA", "--tb=short", "-s"],
        ["-rA", "--log-cli-level=INFO"],
        ["-rA", "-n", "2"],
    ],
    ids=["long-locals", "native", "line", "no-capture", "log-cli", "xdist"],
)
@pytest.mark.parametrize("ci", [False, True], ids=["local", "ci"])
def test_no_report_surface_shows_a_secret(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, options: list[str], ci: bool
) -> None:
    if "-n" in options:
        pytest.importorskip("xdist", reason="pip install pytest-xdist (in the dev extra)")
    if ci:
        monkeypatch.setenv("CI", "1")  # untrimmed short summary
    project.makepyfile(test_leaky=LEAKY)
    (project.path / "param.txt").write_text(FROM_ENV)
    project.makepyfile(test_broken=f"raise ImportError('cannot import because {FROM_ENV}')")
    junit, report_log, log_file = (project.path / n for n in ("junit.xml", "log.jsonl", "run.log"))
    result = project.runpytest_subprocess(
        *options,
        f"--junitxml={junit}",
        f"--report-log={report_log}",
        f"--log-file={log_file}",
        "--log-file-level=DEBUG",
        "-W",
        "always",
    )
    outputs = {
        "stdout": result.stdout.str(),
        "stderr": result.stderr.str(),
        "junit": junit.read_text(),
        "report-log": report_log.read_text(),
        "log-file": log_file.read_text() if log_file.exists() else "",
    }
    assert "test_broken.py" in outputs["stdout"]  # the collection error was reported
    assert "[REDACTED:" in outputs["stdout"] + outputs["junit"]
    for name, text in outputs.items():
        assert FROM_ENV not in text and FROM_VAULT not in text, name
        assert _fragments(text) == [], name


def test_nested_in_process_run_restores_everything(project: pytest.Pytester) -> None:
    import logging

    before = (
        logging.getLogRecordFactory(),
        sys.stdout.__class__,
        os.environ.get("ANTHROPIC_API_KEY"),
    )
    project.makepyfile(
        test_inner="""
        import os, pytest
        @pytest.mark.secrets("anthropic/ci")
        def test_inner(secrets):
            assert os.environ["ANTHROPIC_API_KEY"] == secrets["anthropic/ci"].reveal()
    """
    )
    project.runpytest_inprocess().assert_outcomes(passed=1)
    after = (
        logging.getLogRecordFactory(),
        sys.stdout.__class__,
        os.environ.get("ANTHROPIC_API_KEY"),
    )
    assert before == after


def test_require_from_configuration(project: pytest.Pytester) -> None:
    project.makefile(".toml", pyproject=PYPROJECT + "\n[tool.keyguard.pytest]\nrequire = true\n")
    project.makepyfile(
        test_req="""
        import pytest
        @pytest.mark.secrets("missing/two")
        def test_needs(secrets):
            pass
    """
    )
    project.runpytest_subprocess().assert_outcomes(errors=1)


CUT = """
import pathlib
import pytest

TOKEN = pathlib.Path(__file__).with_name("token.txt").read_text()


@pytest.mark.parametrize("pad", range(150, 700, 9))
def test_cut(pad):
    assert "x" * pad + " " + TOKEN + " " + "y" * 50 == "different"
"""


def test_a_key_cut_short_by_pytest_is_still_masked(
    project: pytest.Pytester, rng: random.Random
) -> None:
    token = tokens.github_classic(rng)  # not a declared secret: only its shape is known
    (project.path / "token.txt").write_text(token)
    project.makepyfile(test_cut=CUT)
    result = project.runpytest_subprocess("-rA", "--tb=short")  # CI unset: pytest truncates
    out = result.stdout.str() + result.stderr.str()
    body = token[4:]
    leaked = [body[i : i + 8] for i in range(len(body) - 7) if body[i : i + 8] in out]
    assert leaked == [], "a fragment of the token reached the report"
    assert "[REDACTED:key]" in out  # some explanation was cut inside the token, and masked


def test_keys_in_parametrize_ids_under_xdist(project: pytest.Pytester, rng: random.Random) -> None:
    pytest.importorskip("xdist", reason="pip install pytest-xdist (in the dev extra)")
    full, other = tokens.github_classic(rng), tokens.github_classic(rng)
    (project.path / "ids.txt").write_text(f"{full}\n{other}\n")
    project.makepyfile(test_ids="""
        import pathlib
        import pytest

        FULL, OTHER = pathlib.Path(__file__).with_name("ids.txt").read_text().split()

        @pytest.mark.parametrize("value", [FULL, OTHER.encode(), b"ghp_Ab12Cd34", "plain"])
        def test_value(value):
            assert value
    """)  # fmt: skip
    result = project.runpytest_subprocess("-n", "2", "-v")
    result.assert_outcomes(passed=4)  # ids changed at collection, so xdist schedules them
    out = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in out and "test_value[plain]" in out
    assert full not in out and other not in out and "Ab12Cd34" not in out
