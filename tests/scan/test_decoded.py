"""Keys stored encoded in credential files are found in their decoded form."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

from keyguard.testing import tokens


def test_fish_variables_git_credentials_and_docker_auth(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    fish = tmp_path / "fish_variables"
    fish.write_text(
        "# This file contains fish universal variable definitions.\n"
        f"SETUVAR --export ANTHROPIC_API_KEY:{a.replace('-', chr(92) + 'x2d')}\n"
    )
    creds = tmp_path / ".git-credentials"
    creds.write_text(f"https://me%40example.com:{g}@github.com\n")
    docker = tmp_path / ".docker" / "config.json"
    docker.parent.mkdir()
    auth = base64.b64encode(f"token:{o}".encode()).decode()
    docker.write_text(json.dumps({"auths": {"ghcr.io": {"auth": auth}}}))
    run = keyguard("scan", "-f", "json", "--all-files", str(tmp_path))
    assert run.code == 1, run.err
    found = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(run.out)["findings"]}
    assert set(found) == {"fish_variables", ".git-credentials", "config.json"}
    assert found["fish_variables"]["rule_id"] == "anthropic-api-key"
    assert found["fish_variables"]["location"]["decoded"] == "fish \\xHH escapes"
    assert found["fish_variables"]["line"] == 2  # the file's own line
    assert found[".git-credentials"]["rule_id"] == "github-token"
    assert "decoded" not in found[".git-credentials"]["location"]  # found as is: not repeated
    assert found["config.json"]["location"] == {"decoded": "base64 auth",
                                                "pointer": "/auths/ghcr.io/auth"}  # fmt: skip
    assert "scanned 3 files" in keyguard("scan", "--all-files", str(tmp_path)).out
    for secret in (a, g, o, auth):
        assert secret not in run.all
