"""Source forges and package registries: GitHub, GitLab, npm, PyPI (detectors.md §3)."""

from __future__ import annotations

from keyguard.scan.rules._base import LEFT
from keyguard.scan.rules._base import RIGHT
from keyguard.scan.rules._base import RIGHT_ALNUM
from keyguard.scan.rules._base import Rule
from keyguard.scan.rules.checks import github_classic_checksum_ok
from keyguard.scan.rules.checks import github_fine_grained_checksum_ok
from keyguard.scan.rules.checks import npm_checksum_ok

GITHUB = "https://github.com/settings/tokens"

RULES: tuple[Rule, ...] = (
    Rule(
        id="github-token",
        provider="github",
        description="GitHub token (personal, OAuth, user-to-server, server-to-server or refresh)",
        pattern=LEFT + r"(?P<public>gh[pousr]_)(?:[A-Za-z0-9]{36}|[A-Za-z0-9]{76})" + RIGHT_ALNUM,
        keywords=("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
        confidence="high",
        remediation=GITHUB,
        check=github_classic_checksum_ok,
        priority=10,
        env_var="GITHUB_TOKEN",
        shape="`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 30 random + 6-character CRC-32 checksum "
        "(refresh tokens: 70 + 6); the checksum must be valid",
    ),
    Rule(
        id="github-fine-grained-token",
        provider="github",
        description="GitHub fine-grained personal access token",
        pattern=LEFT + r"(?P<public>github_pat_)[0-9][A-Za-z0-9]{21}_[A-Za-z0-9]{59}" + RIGHT_ALNUM,
        keywords=("github_pat_",),
        confidence="high",
        remediation="https://github.com/settings/personal-access-tokens",
        check=github_fine_grained_checksum_ok,
        priority=10,
        env_var="GITHUB_TOKEN",
        shape="`github_pat_` + 22 + `_` + 59; characters 78-85 are a SHA-256/base32 checksum",
    ),
    Rule(
        id="github-app-installation-token",
        provider="github",
        description="GitHub App installation token (2026 format)",
        pattern=LEFT
        + r"(?P<public>ghs_)[0-9]{1,20}_[A-Za-z0-9_\-]{10,1000}\.[A-Za-z0-9_\-]{10,10000}"
        + r"\.[A-Za-z0-9_\-]{10,1000}"
        + RIGHT,
        keywords=("ghs_",),
        confidence="high",
        remediation="https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app",
        min_entropy=4.0,
        priority=10,
        env_var="GITHUB_TOKEN",
        shape="`ghs_` + installation id + `_` + a JWT-shaped triple",
    ),
    Rule(
        id="gitlab-token",
        provider="gitlab",
        description="GitLab access token (personal, deploy, runner or pipeline trigger)",
        pattern=LEFT
        + r"(?P<public>glpat-|gldt-|glrt-|glcbt-|glsoat-|GR1348941)"
        + r"(?:[A-Za-z0-9_\-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}|[A-Za-z0-9_\-]{20})"
        + RIGHT,
        keywords=("glpat-", "gldt-", "glrt-", "glcbt-", "glsoat-", "GR1348941"),
        confidence="high",
        remediation="https://gitlab.com/-/user_settings/personal_access_tokens",
        min_entropy=3.0,
        priority=10,
        env_var="GITLAB_TOKEN",
        shape="`glpat-` (and `gldt-`, `glrt-`, …) + 20 characters, or the routable "
        "`…{27,300}.xx` + 7 form",
    ),
    Rule(
        id="gitlab-pipeline-trigger-token",
        provider="gitlab",
        description="GitLab pipeline trigger token",
        pattern=LEFT + r"(?P<public>glptt-)[0-9a-f]{40}" + RIGHT,
        keywords=("glptt-",),
        confidence="high",
        remediation="https://docs.gitlab.com/ci/triggers/",
        min_entropy=3.0,
        priority=10,
        shape="`glptt-` + 40 hex",
    ),
    Rule(
        id="npm-token",
        provider="npm",
        description="npm access token",
        pattern=LEFT + r"(?P<public>npm_)[A-Za-z0-9]{36}" + RIGHT_ALNUM,
        keywords=("npm_",),
        confidence="high",
        remediation="https://www.npmjs.com/settings/~/tokens",
        check=npm_checksum_ok,
        priority=10,
        env_var="NPM_TOKEN",
        shape="`npm_` + 30 random + 6-character CRC-32 checksum (must be valid)",
    ),
    Rule(
        id="pypi-token",
        provider="pypi",
        description="PyPI (or TestPyPI) upload token",
        pattern=LEFT
        + r"(?P<public>pypi-AgEIcHlwaS5vcmc|pypi-AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\-]{50,1000}"
        + RIGHT,
        keywords=("pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"),
        confidence="high",
        remediation="https://pypi.org/manage/account/token/",
        min_entropy=3.5,
        priority=10,
        env_var="PYPI_TOKEN",
        shape="`pypi-` + the macaroon header naming pypi.org (or test.pypi.org) + 50 or more",
    ),
)
