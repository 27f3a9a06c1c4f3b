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
                                                "json_pointer": "/auths/ghcr.io/auth"}  # fmt: skip
    assert "scanned 3 files" in keyguard("scan", "--all-files", str(tmp_path)).out
    for secret in (a, g, o, auth):
        assert secret not in run.all


def test_npmrc_auth_and_kube_data(keyguard, tmp_path: Path, rng: random.Random) -> None:
    npm_token, pem = tokens.npm(rng), tokens.private_key(rng)
    npmrc = tmp_path / ".npmrc"
    auth = base64.b64encode(f"me:{npm_token}".encode()).decode()
    npmrc.write_text(f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_auth={auth}\n")
    kube = tmp_path / ".kube" / "config"
    kube.parent.mkdir()
    data = base64.b64encode(pem.encode()).decode()
    kube.write_text(f"users:\n- name: me\n  user:\n    client-key-data: {data}\n")
    run = keyguard("scan", "-f", "json", "--all-files", str(tmp_path))
    found = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(run.out)["findings"]}
    assert found[".npmrc"]["rule_id"] == "npm-token"
    expected = {"decoded": "base64", "key_path": "//registry.npmjs.org/:_auth"}
    assert found[".npmrc"]["location"] == expected
    assert (found[".npmrc"]["line"], found[".npmrc"]["column"]) == (2, 29)  # the encoded value
    assert found["config"]["rule_id"] == "private-key"
    assert found["config"]["location"]["key_path"] == "users[0].user.client-key-data"
    assert (found["config"]["line"], found["config"]["column"]) == (4, 22)
    assert npm_token not in run.all and auth not in run.all and data not in run.all
