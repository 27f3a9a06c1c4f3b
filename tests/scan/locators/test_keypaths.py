"""Config files: each finding names the key that holds it, in the file's own terms."""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path

from keyguard.testing import tokens


def _keys(keyguard, path: Path) -> list[tuple[int, str | None, str | None]]:
    run = keyguard("scan", "-f", "json", "--all-files", str(path))
    assert run.code == 1, run.err
    found = json.loads(run.out)["findings"]
    return [(f["line"], f["location"].get("key_path"), f["location"].get("decoded")) for f in found]


def test_toml_tables_inline_tables_and_multiline_values(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    path = tmp_path / "config.toml"
    path.write_text(
        'model = "o4"\n'
        "[mcp_servers.github]\n"
        'command = "npx"\n'
        f'env = {{ DEBUG = "1", GITHUB_TOKEN = "{g}" }}  # inline\n'
        "\n"
        "[mcp_servers.claude.env]\n"
        f'ANTHROPIC_API_KEY = "{a}"\n'
        '"odd.name" = """\n'
        f"{o}\n"
        '"""\n'
        "[[profiles]]\n"
        'name = "one"\n'
        "[[profiles]]\n"
        f'token = "{a}"\n'
        "[profiles.env]\n"
        f'KEY = "{g}"\n'
        "[[profiles.hooks]]\n"
        f'secret = "{o}"\n'
        f'args = ["--verbose", "--token", "{g}", {{ env = ["{a}"] }}]\n'
    )
    assert _keys(keyguard, path) == [
        (4, "mcp_servers.github.env.GITHUB_TOKEN", None),
        (7, "mcp_servers.claude.env.ANTHROPIC_API_KEY", None),
        (9, 'mcp_servers.claude.env."odd.name"', None),
        (14, "profiles[1].token", None),
        (16, "profiles[1].env.KEY", None),
        (18, "profiles[1].hooks[0].secret", None),
        (19, "profiles[1].hooks[0].args[2]", None),
        (19, "profiles[1].hooks[0].args[3].env[0]", None),
    ]
    text = keyguard("scan", str(path))
    assert "at mcp_servers.github.env.GITHUB_TOKEN" in text.out
    assert "keyguard migrate" not in text.out  # not Codex's config.toml: nothing to migrate
    for secret in (a, g, o):
        assert secret not in text.all


def test_yaml_mappings_sequences_flow_style_and_documents(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    path = tmp_path / "config.yaml"
    path.write_text(
        "models:\n"
        "  - name: claude\n"
        f"    apiKey: {a}\n"
        "  - name: gpt\n"
        f'    apiKey: "{o}"\n'
        "---\n"
        f"deep: {{list: [x, {g}]}}\n"
    )
    assert _keys(keyguard, path) == [
        (3, "models[0].apiKey", None),
        (5, "models[1].apiKey", None),
        (7, "deep.list[1]", None),
    ]
    broken = tmp_path / "broken.yml"
    broken.write_text(f"a: [unclosed\nkey: {a}\n")
    assert _keys(keyguard, broken) == [(2, None, None)]  # kept, with its line


def test_kube_config_key_paths_and_decoded_data(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    key = tokens.private_key(rng)
    token = tokens.github_classic(rng)
    kube = tmp_path / ".kube" / "config"
    kube.parent.mkdir()
    data = base64.b64encode(key.encode()).decode()
    kube.write_text(
        "apiVersion: v1\nkind: Config\nusers:\n- name: dev\n  user:\n"
        f"    token: {token}\n    client-key-data: {data}\n"
    )
    found = _keys(keyguard, kube)
    assert (6, "users[0].user.token", None) in found
    assert (7, "users[0].user.client-key-data", "base64") in found  # placed on the value


def test_ini_files_aws_pypirc_npmrc(keyguard, tmp_path: Path, rng: random.Random) -> None:
    aws = tmp_path / ".aws" / "credentials"
    aws.parent.mkdir()
    aws.write_text(
        "[default]\n"
        f"aws_access_key_id = {tokens.aws_key_id(rng)}\n"
        f"aws_secret_access_key = {tokens.aws_secret(rng)}\n"
        "[work]\n"
        f"aws_access_key_id={tokens.aws_key_id(rng)}\n"
    )
    assert _keys(keyguard, aws) == [
        (2, "default.aws_access_key_id", None),
        (3, "default.aws_secret_access_key", None),
        (5, "work.aws_access_key_id", None),
    ]
    pypirc = tmp_path / ".pypirc"
    pypirc.write_text(f"[pypi]\nusername = __token__\npassword = {tokens.github_classic(rng)}\n")
    assert _keys(keyguard, pypirc) == [(3, "pypi.password", None)]
    npmrc = tmp_path / ".npmrc"
    npmrc.write_text(f"//registry.npmjs.org/:_authToken={tokens.npm(rng)}\n")
    assert _keys(keyguard, npmrc) == [(1, "//registry.npmjs.org/:_authToken", None)]


def test_shell_env_and_fish_files_name_the_variable(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    rc = tmp_path / ".zshrc"
    rc.write_text(f"export PATH=/bin\nexport ANTHROPIC_API_KEY={a}\nX={g} Y=1\necho {g}\n")
    assert _keys(keyguard, rc) == [
        (2, "ANTHROPIC_API_KEY", None),
        (3, "X", None),
        (4, None, None),  # not an assignment: the line says where
    ]
    env = tmp_path / ".env"
    env.write_text(f"# keys\nOPENAI_API_KEY='{a}'\n")
    assert _keys(keyguard, env) == [(2, "OPENAI_API_KEY", None)]
    fish = tmp_path / "config.fish"
    fish.write_text(f"set -gx GITHUB_TOKEN {g}\n")
    assert _keys(keyguard, fish) == [(1, "GITHUB_TOKEN", None)]
