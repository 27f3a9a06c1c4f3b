"""Cline tasks, VS Code chat sessions and Claude Code's own copies: named as people know them."""

from __future__ import annotations

import json
import random
from pathlib import Path

from keyguard.testing import tokens


def _found(keyguard, *paths: Path) -> list[dict[str, object]]:
    run = keyguard("scan", "-f", "json", "--all-files", *map(str, paths))
    assert run.code == 1, run.err
    return [f["location"] for f in json.loads(run.out)["findings"]]


def test_cline_task_messages(keyguard, tmp_path: Path, rng: random.Random) -> None:
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    task = tmp_path / "saoudrizwan.claude-dev" / "tasks" / "1772442000000"
    task.mkdir(parents=True)
    (task / "api_conversation_history.json").write_text(json.dumps([
        {"role": "user", "content": [{"type": "text", "text": "<task>deploy</task>"}]},
        {"role": "assistant", "content": [{"type": "tool_use", "name": "execute_command",
                                           "input": {"command": f"export GH={g}"}}]},
        {"role": "user", "content": [{"type": "text", "text": f"use {a}"}]},
    ]))  # fmt: skip
    (task / "ui_messages.json").write_text(json.dumps([
        {"ts": 1772442000000, "type": "say", "say": "task", "text": f"deploy with {a}"},
    ]))  # fmt: skip
    places = [(loc["where"], loc["json_pointer"]) for loc in _found(keyguard, task)]
    assert places == [
        ("Cline task 1772442000000 (2026-03-02), message 2 (Cline)",
         "/1/content/0/input/command"),
        ("Cline task 1772442000000 (2026-03-02), message 3 (you)", "/2/content/0/text"),
        ("Cline task 1772442000000 (2026-03-02), panel message 1 (you), 2026-03-02", "/0/text"),
    ]  # fmt: skip


def _request(text: str, stamp: int, answer: str = "ok") -> dict[str, object]:
    return {"message": {"text": text}, "timestamp": stamp, "response": [{"value": answer}]}


def test_vscode_chat_session_json(keyguard, tmp_path: Path, rng: random.Random) -> None:
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    sessions = tmp_path / "workspaceStorage" / "abc" / "chatSessions"
    sessions.mkdir(parents=True)
    session = sessions / "5f0c.json"
    session.write_text(json.dumps({
        "version": 3, "customTitle": "Fix CI", "requests": [
            _request("hi", 1772442000000),
            _request(f"token {a}", 1772442060000, answer=f"set GH={g}"),
        ]}))  # fmt: skip
    places = [(loc["where"], loc["json_pointer"]) for loc in _found(keyguard, session)]
    assert places == [
        ("chat 'Fix CI', request 2 (you), 2026-03-02", "/requests/1/message/text"),
        ("chat 'Fix CI', request 2 (Copilot), 2026-03-02", "/requests/1/response/0/value"),
    ]


def test_vscode_chat_mutation_log_keeps_replaced_text(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    sessions = tmp_path / "globalStorage" / "emptyWindowChatSessions"
    sessions.mkdir(parents=True)
    log = sessions / "77aa.jsonl"
    records = [
        {"kind": 0, "v": {"version": 3, "requests": [_request("hi", 1772442000000)]}},
        {"kind": 2, "k": ["requests"], "i": 1, "v": [_request(f"key {a}", 1772442060000)]},
        {"kind": 1, "k": ["requests", 1, "response"], "v": [{"value": f"GH={g}"}]},
        {"kind": 1, "k": ["customTitle"], "v": "Keys"},
        # the user edits request 2: the log splices a new one in; the old text stays on disk
        {"kind": 2, "k": ["requests"], "i": 1, "v": [_request(f"now {o}", 1772528400000)]},
    ]
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    places = [(loc["where"], loc["record"], loc["json_pointer"]) for loc in _found(keyguard, log)]
    assert places == [
        ("chat session 77aa, request 2 (you), 2026-03-02", 2, "/v/0/message/text"),
        ("chat session 77aa, request 2 (Copilot), 2026-03-02", 3, "/v/0/value"),
        ("chat 'Keys', request 2 (you), 2026-03-03", 5, "/v/0/message/text"),
    ]


def test_claude_code_paste_cache_file_history_and_backups(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    claude = tmp_path / ".claude"
    (claude / "paste-cache").mkdir(parents=True)
    (claude / "paste-cache" / "9f8e7d.txt").write_text(f"here is my key {a}\n")
    history = claude / "file-history" / "0b6c2f1e-aaaa-bbbb" / "3c4d5e6f@v2"
    history.parent.mkdir(parents=True)
    history.write_text(f"GITHUB_TOKEN={g}\n")
    snapshot = claude / "shell-snapshots" / "snapshot-zsh-1772442000000-abcd.sh"
    snapshot.parent.mkdir()
    snapshot.write_text(f"export ANTHROPIC_API_KEY={a}\n")
    backup = claude / "backups" / ".claude.json.backup.1772442000000"
    backup.parent.mkdir()
    backup.write_text(json.dumps({"mcpServers": {"gh": {"env": {"GITHUB_TOKEN": g}}}}))
    where = {loc.get("source", "backup"): loc.get("where", loc.get("json_pointer"))
             for loc in _found(keyguard, claude)}  # fmt: skip
    assert where == {
        "backup": "/mcpServers/gh/env/GITHUB_TOKEN",
        "Claude Code file history": "a copy of a file Claude Code edited "
        "(session 0b6c2f1e, version 2)",
        "Claude Code paste cache": "text you pasted into Claude Code",
        "Claude Code shell snapshot": "a copy of your shell setup Claude Code took",
    }
    text = keyguard("scan", "--all-files", str(claude))
    assert "in text you pasted into Claude Code" in text.out
    assert "keyguard migrate" not in text.out  # copies and evidence: rotate, nothing to move
    for secret in (a, g):
        assert secret not in text.all


def test_app_managed_logins_are_reported_not_migrated(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    access, refresh = tokens.anthropic(rng, "oat01"), tokens.anthropic(rng, "ort01")
    credentials = tmp_path / ".claude" / ".credentials.json"
    credentials.parent.mkdir()
    login = {"claudeAiOauth": {"accessToken": access, "refreshToken": refresh}}
    credentials.write_text(json.dumps(login))
    codex = tmp_path / ".codex" / "auth.json"
    codex.parent.mkdir()
    codex.write_text(json.dumps({"OPENAI_API_KEY": tokens.openai_project(rng)}))
    found = _found(keyguard, credentials, codex)
    assert [(loc["json_pointer"], loc["managed_by"]) for loc in found] == [
        ("/claudeAiOauth/accessToken", "Claude Code"),
        ("/claudeAiOauth/refreshToken", "Claude Code"),
        ("/OPENAI_API_KEY", "Codex"),
    ]
    text = keyguard("scan", str(credentials), str(codex))
    assert "Claude Code keeps this login itself: log out of Claude Code" in text.out
    assert "Codex keeps this login itself" in text.out
    assert "keyguard migrate" not in text.out
    assert access not in text.all and refresh not in text.all
