from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from keyguard.testing.tokens import PLANTS
from tests.conftest import git
from tests.conftest import require


def _plant_folder(folder: Path, rng: random.Random) -> list[str]:
    tokens = []
    for i, rule_id in enumerate(("anthropic-api-key", "openai-project-key", "oneclaw-agent-key")):
        text, token = PLANTS[rule_id](rng)
        (folder / f"f{i}.env").write_text(f"# file {i}\n{text}\n")
        tokens.append(token)
    return tokens


def test_scan_finds_masked_keys_in_a_repo(keyguard, git_repo: Path, rng: random.Random) -> None:
    tokens = _plant_folder(git_repo, rng)
    run = keyguard("scan", cwd=git_repo)
    assert run.code == 1, run.err
    assert run.out.splitlines()[0] == "f0.env"
    assert "anthropic-api-key" in run.out and "oneclaw-agent-key" in run.out
    assert "3 findings in 3 files" in run.out
    assert run.err == ""
    assert not any(token in run.all for token in tokens)


def test_clean_tree_exits_zero(keyguard, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("print('hello')\n")
    run = keyguard("scan", str(tmp_path))
    assert (run.code, run.err) == (0, "")
    assert run.out.startswith("no secrets found (scanned 1 file")


def test_json_and_sarif_to_output_files(keyguard, tmp_path: Path, rng: random.Random) -> None:
    tokens = _plant_folder(tmp_path, rng)
    out = tmp_path / "reports"
    out.mkdir()
    for fmt in ("json", "sarif"):
        run = keyguard(
            "scan",
            "--format",
            fmt,
            "--output",
            str(out / f"r.{fmt}"),
            str(tmp_path),
            "--exclude",
            "reports/",
        )
        assert run.code == 1 and run.out == "", run.err
        text = (out / f"r.{fmt}").read_text()
        assert not any(token in text for token in tokens)
    findings = json.loads((out / "r.json").read_text())["findings"]
    assert sorted(f["rule_id"] for f in findings) == [
        "anthropic-api-key",
        "oneclaw-agent-key",
        "openai-project-key",
    ]
    assert json.loads((out / "r.sarif").read_text())["version"] == "2.1.0"


def test_stdin(keyguard, rng: random.Random) -> None:
    text, token = PLANTS["github-token"](rng)
    run = keyguard("scan", "-", "--format", "json", stdin=f"hello\n{text}\n")
    assert run.code == 1
    (finding,) = json.loads(run.out)["findings"]
    assert (finding["path"], finding["line"], finding["rule_id"]) == ("-", 2, "github-token")
    assert token not in run.all


def test_unreadable_input_exits_two_but_reports_the_rest(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    good = tmp_path / "good.env"
    text, token = PLANTS["npm-token"](rng)
    good.write_text(text + "\n")
    run = keyguard("scan", "/proc/self/mem", str(good))
    assert run.code == 2
    assert "keyguard: /proc/self/mem: cannot read" in run.err
    assert "npm-token" in run.out and token not in run.all


def test_missing_path_is_usage_error(keyguard, tmp_path: Path) -> None:
    run = keyguard("scan", str(tmp_path / "nope"))
    assert run.code == 2
    assert run.err.strip() == f"keyguard: error: {tmp_path / 'nope'}: no such file or directory"


def test_broken_config_is_one_clear_line(keyguard, tmp_path: Path) -> None:
    (tmp_path / ".keyguard.toml").write_text(
        '[[rules]]\nid = "x"\npattern = "("\nkeywords = ["x"]\n'
    )
    run = keyguard("scan", ".", cwd=tmp_path)
    assert run.code == 2
    assert len(run.err.splitlines()) == 1
    assert ".keyguard.toml: rules[0].pattern: not a valid regular expression" in run.err


def test_user_rule_from_pyproject(keyguard, tmp_path: Path, rng: random.Random) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.keyguard]\n[[tool.keyguard.rules]]\nid = "acme-token"\nprovider = "acme"\n'
        'pattern = "acme_(?P<secret>[A-Za-z0-9]{24})"\nkeywords = ["acme_"]\n'
    )
    value = "".join(rng.choice("abcdefXYZ0123456789") for _ in range(24))
    (tmp_path / "app.cfg").write_text(f"key = acme_{value}\n")
    run = keyguard("scan", "--format", "json", ".", cwd=tmp_path)
    assert run.code == 1, run.err
    assert [f["rule_id"] for f in json.loads(run.out)["findings"]] == ["acme-token"]


@pytest.mark.parametrize("engine", ["portable", "hyperscan"])
def test_engines_from_the_command_line(
    keyguard, tmp_path: Path, rng: random.Random, engine: str
) -> None:
    require("hyperscan", "pip install 'keyguard[fast]'")
    _plant_folder(tmp_path, rng)
    run = keyguard("scan", "--engine", engine, "--format", "json", str(tmp_path))
    assert run.code == 1 and len(json.loads(run.out)["findings"]) == 3


def test_allow_comment_and_exclude(keyguard, git_repo: Path, rng: random.Random) -> None:
    text, _ = PLANTS["slack-token"](rng)
    (git_repo / "a.sh").write_text(f"{text}  # keyguard: allow\n")
    (git_repo / "fixtures").mkdir()
    (git_repo / "fixtures" / "b.sh").write_text(PLANTS["slack-token"](rng)[0] + "\n")
    git(git_repo, "add", "-A")
    run = keyguard("scan", "--exclude", "fixtures/**", cwd=git_repo)
    assert run.code == 0, run.out
    assert "1 allowed inline" in run.out


def test_help_and_version(keyguard) -> None:
    assert keyguard("--version").out.startswith("keyguard ")
    run = keyguard("scan", "--help")
    assert run.code == 0 and "exit status" in run.out
    assert keyguard().code == 2


def test_rules_command_lists_every_rule(keyguard) -> None:
    run = keyguard("rules")
    assert (
        run.code == 0 and "anthropic-api-key" in run.out and "generic-secret-assignment" in run.out
    )


def test_staged_and_history_from_the_command_line(
    keyguard, git_repo: Path, rng: random.Random
) -> None:
    text, token = PLANTS["xai-api-key"](rng)
    (git_repo / "a.env").write_text(text + "\n")
    git(git_repo, "add", "-A")
    run = keyguard("scan", "--staged", "--format", "json", cwd=git_repo)
    assert run.code == 1 and json.loads(run.out)["findings"][0]["path"] == "a.env"
    git(git_repo, "commit", "-qm", "key")
    (git_repo / "a.env").write_text("gone\n")
    git(git_repo, "commit", "-qam", "rotate")
    assert keyguard("scan", "--staged", cwd=git_repo).code == 0
    assert keyguard("scan", cwd=git_repo).code == 0  # the work tree is clean
    run = keyguard("scan", "--history", cwd=git_repo)
    assert run.code == 1 and "(commit " in run.out and token not in run.all
    run = keyguard("scan", "--history", "--format", "json", cwd=git_repo)
    (finding,) = json.loads(run.out)["findings"]
    assert set(finding["location"]) == {"commit", "author_date", "blob"}


def test_git_modes_need_a_repository(keyguard, tmp_path: Path) -> None:
    run = keyguard("scan", "--staged", cwd=tmp_path)
    assert run.code == 2 and "not inside a git repository" in run.err
    assert keyguard("scan", "--staged", "--history", cwd=tmp_path).code == 2


def test_a_leaked_vault_secret_is_named(
    keyguard, tmp_path: Path, rng: random.Random, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vault's manifest fingerprints (never values) say which secret leaked."""
    from keyguard.testing import tokens

    monkeypatch.setenv("KEYGUARD_BACKEND", "file")
    monkeypatch.delenv("KEYGUARD_PASSPHRASE", raising=False)
    stored, other = tokens.anthropic(rng), tokens.anthropic(rng)
    assert keyguard("set", "anthropic/work", stdin=stored).code == 0
    chat = tmp_path / "notes.md"
    chat.write_text(f"work key: {stored}\nother: {other}\n")
    found = json.loads(keyguard("scan", "-f", "json", str(chat)).out)["findings"]
    assert [f["vault_name"] for f in found] == ["anthropic/work", None]
    text = keyguard("scan", str(chat)).out
    assert "this is your vault secret anthropic/work: rotate it" in text
    export = tmp_path / "conversations.json"
    export.write_text(json.dumps([{"uuid": "c", "name": "Deploy", "chat_messages": [
        {"sender": "human", "created_at": "2026-03-01T08:00:00Z", "text": stored}]}]))  # fmt: skip
    said = keyguard("scan", str(export)).out
    assert "this key, pasted on 2026-03-01, is still your vault secret anthropic/work" in said
    assert stored not in text + said and other not in text


def test_home_scans_the_usual_places(
    keyguard, isolated_home: Path, rng: random.Random, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keyguard.testing import tokens

    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    (isolated_home / ".zshrc").write_text(f"export ANTHROPIC_API_KEY={a}\n")
    (isolated_home / ".npmrc").write_text("registry=https://registry.npmjs.org/\n")
    project = isolated_home / ".claude" / "projects" / "-home-me-app"
    project.mkdir(parents=True)
    record = {"type": "user", "timestamp": "2026-04-01T10:00:00Z",
              "message": {"role": "user", "content": f"use {g}"}}  # fmt: skip
    (project / "s1.jsonl").write_text(json.dumps(record) + "\n")
    (isolated_home / ".claude" / "paste-cache").mkdir()
    (isolated_home / ".claude" / "paste-cache" / "ab12.txt").write_text(f"key {g}\n")
    chats = isolated_home / ".config" / "Code" / "User" / "globalStorage"
    (chats / "emptyWindowChatSessions").mkdir(parents=True)
    request = {"message": {"text": f"key {a}"}, "timestamp": 1772442000000}
    snapshot = {"kind": 0, "v": {"requests": [request]}}
    (chats / "emptyWindowChatSessions" / "s.jsonl").write_text(json.dumps(snapshot) + "\n")
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    run = keyguard("scan", "--home", "-f", "json")
    assert run.code == 1, run.err
    found = json.loads(run.out)["findings"]
    assert sorted(f["path"] for f in found) == [
        "~/.claude/paste-cache/ab12.txt",
        "~/.claude/projects/-home-me-app/s1.jsonl",
        "~/.config/Code/User/globalStorage/emptyWindowChatSessions/s.jsonl",
        "~/.zshrc",
    ]
    where = {f["path"]: f["location"].get("where") for f in found}
    assert where["~/.claude/paste-cache/ab12.txt"] == "text you pasted into Claude Code"
    assert where["~/.config/Code/User/globalStorage/emptyWindowChatSessions/s.jsonl"] == (
        "chat session s, request 1 (you), 2026-03-02"
    )
    assert "keyguard: shell rc files: 1 file scanned, 1 with keys; not here: ~/.bashrc" in run.err
    assert "keyguard: credential files: 1 file scanned; not here:" in run.err
    assert "keyguard: agent transcripts: 2 files scanned, 2 with keys" in run.err
    assert "keyguard: editor chats: 1 file scanned, 1 with keys" in run.err
    assert "keyguard: MCP configs: 0 files scanned; not here:" in run.err
    assert a not in run.all and g not in run.all
    assert keyguard("scan", "--home", ".").code == 2  # no paths with --home
