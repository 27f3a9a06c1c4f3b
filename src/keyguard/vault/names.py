"""Secret names (``<provider>/<alias>``) and their conventional environment variables.

``ANTHROPIC_API_KEY`` ↔ ``anthropic/default``, ``ANTHROPIC_API_KEY_WORK`` ↔ ``anthropic/work``.
"""

from __future__ import annotations

import re

from keyguard.errors import UsageError

_PART = r"[a-z0-9][a-z0-9._-]*"
_NAME = re.compile(rf"{_PART}/{_PART}")
_ENV = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Suffixes that name the credential rather than the provider, longest first.
_SUFFIXES = ("_API_KEY", "_API_TOKEN", "_ACCESS_TOKEN", "_AUTH_TOKEN", "_SECRET_KEY", "_TOKEN",
             "_KEY", "_SECRET", "_PASSWORD", "_PAT")  # fmt: skip
# Provider spellings that differ from the environment variable's prefix.
_PROVIDERS = {"gh": "github", "hf": "huggingface", "huggingface_hub": "huggingface",
              "gemini": "google", "pplx": "perplexity", "co": "cohere", "1claw": "oneclaw",
              "aws_secret_access": "aws", "aws_access_key_id": "aws"}  # fmt: skip
# Variables a secret must never replace in a child's environment.
PROTECTED = frozenset(
    {"PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "TERM", "LANG", "TMPDIR",
     "LD_PRELOAD", "LD_LIBRARY_PATH", "DYLD_INSERT_LIBRARIES", "DYLD_LIBRARY_PATH", "PYTHONPATH",
     "PYTHONHOME", "IFS", "ENV", "BASH_ENV", "SSH_AUTH_SOCK"}
)  # fmt: skip


def check_name(name: str) -> str:
    if not _NAME.fullmatch(name):
        raise UsageError(
            f"{name!r} is not a secret name: use <provider>/<alias> in lower case, "
            "for example anthropic/default"
        )
    return name


def check_env_var(var: str) -> str:
    if not _ENV.fullmatch(var):
        raise UsageError(f"{var!r} is not an environment variable name")
    if var.upper() in PROTECTED:
        raise UsageError(f"refusing to set {var}: it is not a secret's place (protected variable)")
    return var


def name_for_env(var: str) -> str:
    """``OPENAI_API_KEY_WORK`` → ``openai/work``; ``GITHUB_TOKEN`` → ``github/default``."""
    upper = var.upper()
    for suffix in _SUFFIXES:
        head, sep, tail = upper.partition(suffix)
        if sep and head and (not tail or tail.startswith("_")):
            provider = head.lower()
            alias = tail.strip("_").lower() or "default"
            return check_name(f"{_PROVIDERS.get(provider, provider).replace('_', '-')}/{alias}")
    return check_name(f"env/{upper.lower().replace('_', '-')}")


def env_for_name(name: str) -> str:
    """``anthropic/default`` → ``ANTHROPIC_API_KEY``, ``anthropic/work`` →
    ``ANTHROPIC_API_KEY_WORK``."""
    provider, alias = check_name(name).split("/")
    if provider == "env":
        return alias.upper().replace("-", "_").replace(".", "_")
    base = f"{provider.upper().replace('-', '_').replace('.', '_')}_API_KEY"
    if alias == "default":
        return base
    return f"{base}_{alias.upper().replace('-', '_').replace('.', '_')}"
