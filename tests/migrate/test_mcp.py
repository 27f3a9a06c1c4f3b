"""MCP configs: the wrapped server runs as the client would start it and sees the same key."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from keyguard.testing import tokens

SERVER = """
import json, os, sys
for line in sys.stdin:
    request = json.loads(line)
    value = os.environ.get(request["params"]["var"], "")
    reply = {"jsonrpc": "2.0", "id": request["id"], "result": {"length": len(value),
             "same": value == os.environ.get("EXPECT", "")}}
    sys.stdout.write(json.dumps(reply) + "\\n"); sys.stdout.flush()
"""


@pytest.fixture
def kg(tmp_path: Path, isolated_home: Path):
    env = {
        **os.environ,
        "KEYGUARD_DATA_DIR": str(tmp_path / "kgdata"),
        "KEYGUARD_BACKEND": "file",
        "HOME": str(isolated_home),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "keyguard", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
        )

    run.env = env  # type: ignore[attr-defined]
    return run


def _start_as_client(
    config: dict[str, Any], name: str, env: dict[str, str], var: str, expect: str
) -> str:
    server = config["mcpServers"][name]
    child_env = {**env, **server.get("env", {}), "EXPECT": expect}
    requests = "".join(
        json.dumps({"jsonrpc": "2.0", "id": i, "method": "check", "params": {"var": var}}) + "\n"
        for i in range(3)
    )
    proc = subprocess.run(
        [server["command"], *server.get("args", [])],
        input=requests,
        capture_output=True,
        text=True,
        env=child_env,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("jsonc", [False, True], ids=["json", "jsonc"])
def test_stdio_server_is_wrapped_and_behaves_the_same(kg, tmp_path: Path, jsonc: bool) -> None:
    key = tokens.github_classic(random.Random(jsonc))
    server = tmp_path / "server.py"
    server.write_text(SERVER)
    comment = "  // personal token\n" if jsonc else ""
    text = (
        '{\n  "mcpServers": {\n    "github": {\n'
        f'      "command": {json.dumps(sys.executable)},\n'
        f'      "args": [{json.dumps(str(server))}],\n'
        f'      "env": {{\n{comment}        "GITHUB_TOKEN": "{key}",\n'
        '        "LOG_LEVEL": "info"\n      }\n'
        '    },\n    "other": {"command": "true"}\n  }\n}\n'
    )
    config_path = tmp_path / ("settings.json" if jsonc else "claude_desktop_config.json")
    config_path.write_text(text)
    plain = json.loads("\n".join(line for line in text.splitlines() if "//" not in line))
    before = _start_as_client(plain, "github", kg.env, "GITHUB_TOKEN", key)
    assert '"same": true' in before
    proc = kg("migrate", str(config_path), "--yes")
    assert proc.returncode == 0, proc.stderr
    migrated_text = config_path.read_text()
    assert key not in migrated_text and ("// personal token" in migrated_text) is jsonc
    migrated = json.loads(
        "\n".join(line for line in migrated_text.splitlines() if "//" not in line)
    )
    github = migrated["mcpServers"]["github"]
    assert os.path.isabs(github["command"]) and github["command"].endswith("keyguard")
    assert github["args"][:4] == ["run", "--secret", "GITHUB_TOKEN=github/default", "--"]
    assert github["env"] == {"LOG_LEVEL": "info"}
    assert migrated["mcpServers"]["other"] == {"command": "true"}
    after = _start_as_client(migrated, "github", kg.env, "GITHUB_TOKEN", key)
    assert after == before  # byte-identical stdout, same value seen
    assert kg("migrate", "--undo", str(config_path)).returncode == 0
    assert config_path.read_text() == text


def test_http_header_keys_are_reported_with_the_native_option(kg, tmp_path: Path) -> None:
    key = tokens.anthropic(random.Random(3))
    config = tmp_path / ".mcp.json"
    config.write_text(
        json.dumps(
            {
                "mcpServers": {
                    "api": {
                        "type": "http",
                        "url": "https://x.invalid",
                        "headers": {"X-Api-Key": key},
                    }
                }
            },
            indent=2,
        )
    )
    before = config.read_bytes()
    proc = kg("migrate", str(config), "--yes")
    assert proc.returncode == 1 and "headersHelper" in proc.stderr and config.read_bytes() == before
