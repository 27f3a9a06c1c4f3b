"""Codex config.toml: inline env tables and env sub-tables, style kept, server still works."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib

from keyguard.testing import tokens
from tests.migrate.test_mcp import SERVER


@pytest.mark.parametrize("shape", ["inline", "subtable"])
def test_codex_config(tmp_path: Path, isolated_home: Path, shape: str) -> None:
    key = tokens.openai_project(random.Random(shape))
    server = tmp_path / "server.py"
    server.write_text(SERVER)
    env_lines = (
        f'env = {{ "OPENAI_API_KEY" = "{key}", MODE = "dev" }}\n'
        if shape == "inline"
        else f'\n[mcp_servers.docs.env]\nOPENAI_API_KEY = "{key}"\nMODE = "dev"\n'
    )
    text = (
        '# codex\nmodel = "gpt-5"\n\n[mcp_servers.docs]\n'
        f"command = {json.dumps(sys.executable)}  # python\n"
        f"args = [{json.dumps(str(server))}]\n" + env_lines
    )
    config = tmp_path / "config.toml"
    config.write_text(text)
    env = {
        **os.environ,
        "KEYGUARD_DATA_DIR": str(tmp_path / "kg"),
        "KEYGUARD_BACKEND": "file",
        "HOME": str(isolated_home),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "keyguard", "migrate", str(config), "--yes"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    migrated = config.read_text()
    assert key not in migrated and "# codex" in migrated and 'model = "gpt-5"' in migrated
    docs = tomllib.loads(migrated)["mcp_servers"]["docs"]
    assert docs["env"] == {"MODE": "dev"}
    assert docs["args"][:4] == ["run", "--secret", "OPENAI_API_KEY=openai/default", "--"]
    request = json.dumps({"jsonrpc": "2.0", "id": 1, "params": {"var": "OPENAI_API_KEY"}}) + "\n"
    ran = subprocess.run(
        [docs["command"], *docs["args"]],
        input=request,
        capture_output=True,
        text=True,
        env={**env, **docs["env"], "EXPECT": key},
    )
    assert '"same": true' in ran.stdout, ran.stderr
    undo = subprocess.run(
        [sys.executable, "-m", "keyguard", "migrate", "--undo", str(config)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert undo.returncode == 0 and config.read_text() == text
