"""The detect-secrets plugins, run by detect-secrets itself."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from keyguard.testing.tokens import PLANTS
from tests.conftest import git

BIN = Path(sys.executable).parent


def _plugin_path() -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "keyguard.integrations.detect_secrets"],
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip()


def test_detect_secrets_reports_keyguard_rules(git_repo: Path, rng: random.Random) -> None:
    planted = {}
    lines = []
    for rule_id in ("anthropic-api-key", "oneclaw-agent-key", "groq-api-key", "openrouter-api-key"):
        text, token = PLANTS[rule_id](rng)
        lines.append(text)
        planted[rule_id] = token
    lines.append("ANTHROPIC_API_KEY=sk-ant-api03-" + "x" * 93 + "AA")  # a placeholder: not reported
    (git_repo / "keys.env").write_text("\n".join(lines) + "\n")
    git(git_repo, "add", "-A")
    proc = subprocess.run(
        [str(BIN / "detect-secrets"), "scan", "--plugin", _plugin_path()],
        cwd=git_repo,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    found = {(r["type"], r["line_number"]) for r in document["results"]["keys.env"]}
    assert ("keyguard: Anthropic API key", 1) in found
    assert ("keyguard: 1claw agent key", 2) in found
    assert ("keyguard: Groq API key", 3) in found
    assert ("keyguard: OpenRouter API key", 4) in found
    assert not any(line == 5 for _, line in found)
    assert any(p.get("path", "").endswith("detect_secrets.py") for p in document["plugins_used"])

    # The baseline remembers the plugin: detect-secrets-hook blocks a new key with it.
    (git_repo / ".secrets.baseline").write_text(proc.stdout)
    text, _ = PLANTS["perplexity-api-key"](rng)
    (git_repo / "new.py").write_text(text + "\n")
    hook = subprocess.run(
        [str(BIN / "detect-secrets-hook"), "--baseline", ".secrets.baseline", "new.py"],
        cwd=git_repo,
        capture_output=True,
        text=True,
    )
    assert hook.returncode == 1
    assert "keyguard: Perplexity API key" in hook.stdout
