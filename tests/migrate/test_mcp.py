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


def _shape(client: str, command: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    flat = {"command": command, "args": args, "env": env}
    if client == "vscode":
        return {"servers": {"gh": {"type": "stdio", **flat}}}
    if client == "zed-nested":
        return {"context_servers": {"gh": {"command": {"path": command, "args": args, "env": env}}}}
    if client == "zed":
        return {"context_servers": {"gh": {"source": "custom", **flat}}}
    if client == "claude-code-user":
        return {"numStartups": 3, "projects": {"/work/app": {"mcpServers": {"gh": flat}}}}
    return {"mcpServers": {"gh": flat}}  # Claude Desktop, Claude Code, Cursor, Windsurf, Gemini


def _launch(config: dict[str, Any], client: str) -> tuple[list[str], dict[str, str]]:
    """The command line and env a client starts the server with, read the way it reads them."""
    if client == "claude-code-user":
        server = config["projects"]["/work/app"]["mcpServers"]["gh"]
    else:
        table = config.get("mcpServers") or config.get("servers") or config["context_servers"]
        server = table["gh"]
    if isinstance(server["command"], dict):
        server = {**server["command"], "command": server["command"]["path"]}
    return [server["command"], *server.get("args", [])], server.get("env", {})


CLIENTS = {
    "claude-desktop": "claude_desktop_config.json",
    "claude-code": ".mcp.json",
    "claude-code-user": ".claude.json",
    "cursor": "mcp.json",
    "windsurf": "mcp_config.json",
    "gemini": "settings.json",
    "vscode": "mcp.json",
    "zed": "settings.json",
    "zed-nested": "settings.json",
}


@pytest.mark.parametrize("client", CLIENTS)
def test_every_client_shape(kg, tmp_path: Path, client: str) -> None:
    key = tokens.github_classic(random.Random(client))
    server = tmp_path / "server.py"
    server.write_text(SERVER)
    config = _shape(client, sys.executable, [str(server)], {"GITHUB_TOKEN": key, "X": "1"})
    path = tmp_path / CLIENTS[client]
    original = json.dumps(config, indent=2) + "\n"
    path.write_text(original)
    request = {"jsonrpc": "2.0", "id": 1, "method": "m", "params": {"var": "GITHUB_TOKEN"}}
    requests = json.dumps(request) + "\n"

    def start(cfg: dict[str, Any]) -> str:
        argv, env = _launch(cfg, client)
        run_env = {**kg.env, **env, "EXPECT": key}
        proc = subprocess.run(argv, input=requests, capture_output=True, text=True, env=run_env)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    before = start(config)
    proc = kg("migrate", str(path), "--yes")
    assert proc.returncode == 0, proc.stderr
    assert ("close every Claude Code session" in proc.stderr) is (client == "claude-code-user")
    assert key not in path.read_text()
    migrated = json.loads(path.read_text())
    assert start(migrated) == before and '"same": true' in before
    assert kg("migrate", "--undo", str(path)).returncode == 0 and path.read_text() == original
