from __future__ import annotations

import pytest

from keyguard.errors import UsageError
from keyguard.vault.names import check_env_var
from keyguard.vault.names import check_name
from keyguard.vault.names import env_for_name
from keyguard.vault.names import name_for_env


@pytest.mark.parametrize(
    ("var", "name"),
    [
        ("ANTHROPIC_API_KEY", "anthropic/default"),
        ("ANTHROPIC_API_KEY_WORK", "anthropic/work"),
        ("OPENAI_API_KEY", "openai/default"),
        ("GITHUB_TOKEN", "github/default"),
        ("HF_TOKEN", "huggingface/default"),
        ("GEMINI_API_KEY", "google/default"),
    ],
)
def test_env_to_name(var: str, name: str) -> None:
    assert name_for_env(var) == name


def test_name_to_env() -> None:
    assert env_for_name("anthropic/default") == "ANTHROPIC_API_KEY"
    assert env_for_name("openai/work") == "OPENAI_API_KEY_WORK"


@pytest.mark.parametrize("bad", ["Anthropic/default", "anthropic", "a/b/c", "/x", "a/-x", "a b/c"])
def test_bad_names(bad: str) -> None:
    with pytest.raises(UsageError, match="not a secret name"):
        check_name(bad)


@pytest.mark.parametrize("var", ["PATH", "HOME", "LD_PRELOAD", "SHELL"])
def test_protected_variables(var: str) -> None:
    with pytest.raises(UsageError, match="protected"):
        check_env_var(var)
