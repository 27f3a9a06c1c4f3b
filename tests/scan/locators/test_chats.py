"""Chat exports and agent transcripts: each key named by conversation and message."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from keyguard.scan.locators import Truncated
from keyguard.scan.locators.jsonitems import items
from keyguard.testing import tokens


def _claude_export(a: str, g: str, o: str) -> list[object]:
    return [
        {"uuid": "c-1", "name": "Holiday plans", "created_at": "2026-01-05T10:00:00Z",
         "chat_messages": [{"uuid": "m", "sender": "human", "text": "où aller en été ?",
                            "content": [{"type": "text", "text": "où aller en été ?"}]}]},
        {"uuid": "c-2", "name": "Debug stripe webhook", "created_at": "2026-03-02T09:00:00Z",
         "chat_messages": [
             {"uuid": "m1", "sender": "human", "created_at": "2026-03-02T09:00:00Z",
              "text": "hello", "content": [{"type": "text", "text": "hello"}]},
             {"uuid": "m2", "sender": "assistant", "created_at": "2026-03-02T09:01:00Z",
              "text": "hi", "content": [{"type": "tool_use", "name": "artifacts",
                                         "input": {"content": f"GITHUB_TOKEN={g}"}}]},
             {"uuid": "m3", "sender": "human", "created_at": "2026-03-02T09:02:00Z",
              "text": f"my key is {a}", "content": [{"type": "text", "text": f"my key is {a}"}],
              "attachments": [{"file_name": "", "extracted_content": f"OPENAI_API_KEY={o}"}]},
         ]},
    ]  # fmt: skip


def test_claude_export_names_conversation_message_and_sender(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    export = tmp_path / "conversations.json"
    export.write_text(json.dumps(_claude_export(a, g, o), ensure_ascii=False))
    run = keyguard("scan", "--format", "json", str(export))
    assert run.code == 1, run.err
    found = json.loads(run.out)["findings"]
    places = sorted((f["location"]["json_pointer"], f["location"]["where"]) for f in found)
    assert places == [
        ("/1/chat_messages/1/content/0/input/content",
         "conversation 'Debug stripe webhook', message 2 (Claude), 2026-03-02"),
        ("/1/chat_messages/2/attachments/0/extracted_content",
         "conversation 'Debug stripe webhook', message 3 (you), 2026-03-02"),
        ("/1/chat_messages/2/content/0/text",
         "conversation 'Debug stripe webhook', message 3 (you), 2026-03-02"),
        ("/1/chat_messages/2/text",
         "conversation 'Debug stripe webhook', message 3 (you), 2026-03-02"),
    ]  # fmt: skip
    assert {f["location"]["conversation_id"] for f in found} == {"c-2"}
    text = keyguard("scan", str(export))
    assert "in conversation 'Debug stripe webhook', message 3 (you), 2026-03-02" in text.out
    assert "rotate the" in text.out and "keyguard migrate" not in text.out  # a chat: rotate
    env_file = tmp_path / ".env"
    env_file.write_text(f"ANTHROPIC_API_KEY={a}\n")
    config = keyguard("scan", str(env_file))
    assert f"move the keys into the vault: keyguard migrate {env_file}" in config.out
    both = keyguard("scan", "--all-files", str(tmp_path))
    assert both.out.count("anthropic-api-key") == 2  # one line per key per file
    # the key is twice in message 3 (its text and its content block): one place, said once
    place = "in conversation 'Debug stripe webhook', message 3 (you), 2026-03-02"
    assert f"{place}\n      seen 2 times there" in both.out
    assert "is in 2 files: " in both.out and "5 findings in 2 files" in both.out
    for secret in (a, g, o):
        assert secret not in run.all + text.all


def test_chatgpt_export_walks_every_branch(keyguard, tmp_path: Path, rng: random.Random) -> None:
    key = tokens.anthropic(rng)

    def node(parent: str | None, role: str, text: str, children: list[str]) -> dict[str, object]:
        message = {"author": {"role": role}, "create_time": 1772442000.0,
                   "content": {"content_type": "text", "parts": [text]}}  # fmt: skip
        return {"parent": parent, "children": children, "message": message}

    mapping = {
        "root": {"parent": None, "children": ["u1"], "message": None},
        "u1": node("root", "user", "help me debug", ["a1"]),
        "a1": node("u1", "assistant", "sure", ["u2-edited", "u2"]),
        "u2-edited": node("a1", "user", f"oops pasted {key}", []),  # the branch left behind
        "u2": node("a1", "user", "here is the log", []),
    }
    export = tmp_path / "conversations.json"
    export.write_text(json.dumps({"conversations": [
        {"id": "x", "title": "Webhook", "current_node": "u2", "mapping": mapping}]}))  # fmt: skip
    found = json.loads(keyguard("scan", "-f", "json", str(export)).out)["findings"]
    assert len(found) == 1
    location = found[0]["location"]
    assert location["where"] == "conversation 'Webhook', message 3 (you), 2026-03-02"
    assert location["json_pointer"] == "/0/mapping/u2-edited/message/content/parts/0"


def test_claude_code_transcript_records(keyguard, tmp_path: Path, rng: random.Random) -> None:
    key = tokens.openai_project(rng)
    project = tmp_path / ".claude" / "projects" / "-home-me-app"
    project.mkdir(parents=True)
    lines = [
        {"type": "user", "sessionId": "s1", "timestamp": "2026-04-01T10:00:00Z",
         "message": {"role": "user", "content": "set up the client"}},
        {"type": "user", "sessionId": "s1", "timestamp": "2026-04-01T10:00:05Z",
         "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t",
                                                  "content": f"OPENAI_API_KEY={key}\n"}]},
         "toolUseResult": {"stdout": f"OPENAI_API_KEY={key}\n", "stderr": ""}},
    ]  # fmt: skip
    transcript = project / "s1.jsonl"
    transcript.write_text("".join(json.dumps(line) + "\n" for line in lines))
    found = json.loads(keyguard("scan", "-f", "json", str(transcript)).out)["findings"]
    pointers = sorted(f["location"]["json_pointer"] for f in found)
    assert pointers == ["/message/content/0/content", "/toolUseResult/stdout"]
    assert {f["location"]["where"] for f in found} == {"record 2, tool result (you), 2026-04-01"}
    assert {f["location"]["source"] for f in found} == {"Claude Code transcript"}


def test_truncated_export_keeps_findings_and_names_the_byte(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    text = json.dumps(_claude_export(a, g, o) * 2)
    cut = text.rindex("Debug stripe webhook")  # inside the fourth conversation
    export = tmp_path / "conversations.json"
    export.write_text(text[:cut])
    run = keyguard("scan", "-f", "json", str(export))
    assert run.code == 2, run.err
    found = json.loads(run.out)["findings"]
    assert len(found) == 4 and all("where" in f["location"] for f in found)
    assert f"invalid or truncated JSON at byte {cut - 1}" in run.err  # its opening quote


@pytest.mark.parametrize("block", [7, 64, 1 << 20])
def test_items_stream_with_exact_byte_spans(monkeypatch: pytest.MonkeyPatch, block: int) -> None:
    from keyguard.scan.locators import jsonitems

    monkeypatch.setattr(jsonitems, "BLOCK", block)
    data = [{"t": "é" * 40, "n": i, "nested": [1, {"x": "→"}]} for i in range(50)]
    raw = json.dumps(data, ensure_ascii=False).encode()
    seen = list(items(io.BytesIO(raw)))
    assert [item for item, _, _ in seen] == data
    assert all(json.loads(raw[start:end]) == item for item, start, end in seen)
    with pytest.raises(Truncated):
        list(items(io.BytesIO(raw[: len(raw) // 2])))


def test_zipped_export_is_read_in_place(keyguard, tmp_path: Path, rng: random.Random) -> None:
    import zipfile

    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    archive = tmp_path / "data-2026-03-02.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("conversations.json", json.dumps(_claude_export(a, g, o)))
        z.writestr("users.json", "[]")
        z.writestr("file-abc-notes.txt", f"backup key {tokens.npm(rng)}\n")
    run = keyguard("scan", "-f", "json", str(archive))
    assert run.code == 1, run.err
    found = json.loads(run.out)["findings"]
    paths = sorted({f["path"] for f in found})
    assert paths == [f"{archive}!conversations.json", f"{archive}!file-abc-notes.txt"]
    placed = [f for f in found if f["path"].endswith("conversations.json")]
    assert len(placed) == 4 and all(f["location"]["conversation_id"] == "c-2" for f in placed)
    assert not (tmp_path / "conversations.json").exists()  # nothing extracted
    broken = tmp_path / "broken.zip"
    broken.write_bytes(archive.read_bytes()[:100])
    bad = keyguard("scan", str(broken))
    assert bad.code == 2 and "broken.zip: cannot read: not a readable zip archive" in bad.err


def test_claude_projects_name_the_document(keyguard, tmp_path: Path, rng: random.Random) -> None:
    key, other = tokens.anthropic(rng), tokens.github_classic(rng)
    projects = [
        {
            "uuid": "p1",
            "name": "Billing",
            "prompt_template": f"use {other}",
            "docs": [{"uuid": "d", "filename": "setup.md", "content": f"KEY={key}\n"}],
        }
    ]
    path = tmp_path / "projects.json"
    path.write_text(json.dumps(projects))  # fmt: skip
    found = json.loads(keyguard("scan", "-f", "json", str(path)).out)["findings"]
    assert sorted(f["location"]["where"] for f in found) == [
        "project 'Billing', document 'setup.md'",
        "project 'Billing', its instructions",
    ]


def test_format_hint_reads_a_renamed_export(keyguard, tmp_path: Path, rng: random.Random) -> None:
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    renamed = tmp_path / "claude-2026-03.txt"
    renamed.write_text(json.dumps(_claude_export(a, g, o)))
    by_name = json.loads(keyguard("scan", "-f", "json", str(renamed)).out)["findings"]
    assert all("where" not in f["location"] for f in by_name)  # a .txt: read as plain text
    hinted = keyguard("scan", "-f", "json", "--format-hint", "claude-export", str(renamed))
    found = json.loads(hinted.out)["findings"]
    assert len(found) == 4 and all("message_index" in f["location"] for f in found)
    plain = keyguard("scan", "-f", "json", "--format-hint", "plain", str(tmp_path))
    assert all("where" not in f["location"] for f in json.loads(plain.out)["findings"])


def test_json_configs_give_the_key_path(keyguard, tmp_path: Path, rng: random.Random) -> None:
    key = tokens.github_classic(rng)
    config = tmp_path / ".mcp.json"
    config.write_text(
        '{\n  // servers\n  "mcpServers": {"git/hub": {"command": "npx",\n'
        f'    "env": {{"GITHUB_TOKEN": "{key}"}}}}}}\n}}\n'
    )
    found = json.loads(keyguard("scan", "-f", "json", str(config)).out)["findings"]
    assert found[0]["location"] == {"json_pointer": "/mcpServers/git~1hub/env/GITHUB_TOKEN"}
    assert "at /mcpServers/git~1hub/env/GITHUB_TOKEN" in keyguard("scan", str(config)).out
    broken = tmp_path / "broken.json"
    broken.write_text(f'{{"token": "{key}", oops\n')
    found = json.loads(keyguard("scan", "-f", "json", str(broken)).out)["findings"]
    assert len(found) == 1 and found[0]["location"] == {}  # still reported, without a path


def test_chatgpt_chat_html(keyguard, tmp_path: Path, rng: random.Random) -> None:
    key = tokens.openai_project(rng)
    message = {
        "author": {"role": "user"},
        "create_time": 1772442000.0,
        "content": {"content_type": "text", "parts": [f"key {key}"]},
    }
    data = [{"id": "x", "title": "Setup", "mapping": {
        "root": {"parent": None, "children": ["u"], "message": None},
        "u": {"parent": "root", "children": [], "message": message}}}]  # fmt: skip
    page = tmp_path / "chat.html"
    page.write_text(
        "<html><head><title>ChatGPT Data Export</title></head><body><script>\n"
        + "var filler = '"
        + "x" * 3000
        + "';\n"
        + f"var jsonData = {json.dumps(data)};\nvar assetsJson = {{}};\n</script></body></html>\n"
    )
    found = json.loads(keyguard("scan", "-f", "json", str(page)).out)["findings"]
    assert [f["location"]["where"] for f in found] == [
        "conversation 'Setup', message 1 (you), 2026-03-02"
    ]


def test_codex_gemini_and_prompt_histories_say_what_each_record_is(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    codex = tmp_path / ".codex"
    (codex / "sessions" / "2026" / "03" / "02").mkdir(parents=True)
    payload = {"type": "function_call", "name": "shell",
               "arguments": json.dumps({"command": ["bash", "-lc", f"export K={a}"]})}  # fmt: skip
    (codex / "sessions" / "2026" / "03" / "02" / "rollout-1.jsonl").write_text(
        json.dumps(
            {"timestamp": "2026-03-02T10:00:00Z", "type": "response_item", "payload": payload}
        )
        + "\n"  # fmt: skip
    )
    (codex / "history.jsonl").write_text(
        json.dumps({"session_id": "s", "ts": 1772442000, "text": f"use {g}"}) + "\n"
    )
    claude = tmp_path / ".claude"
    claude.mkdir()
    pasted = {"1": {"id": 1, "type": "text", "content": f"GH={g}"}}
    (claude / "history.jsonl").write_text(json.dumps(
        {"display": "[Pasted text #1]", "pastedContents": pasted, "timestamp": 1772442000000,
         "project": "/home/me/app", "sessionId": "s2"}) + "\n")  # fmt: skip
    chats = tmp_path / ".gemini" / "tmp" / "abc" / "chats"
    chats.mkdir(parents=True)
    records = [
        {"sessionId": "g1", "projectHash": "abc", "startTime": "2026-03-02T10:00:00Z"},
        {"id": "m1", "timestamp": "2026-03-02T10:01:00Z", "type": "user",
         "content": [{"text": f"key {a}"}]},
        {"$rewindTo": "m1"},  # hides m1 in the app; it stays on disk
    ]  # fmt: skip
    (chats / "session-2026-03-02T10-00-g1.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records)
    )
    run = keyguard("scan", "-f", "json", "--all-files", str(tmp_path))
    assert run.code == 1, run.err
    where = {f["path"][len(str(tmp_path)) + 1 :]: (f["location"]["source"], f["location"]["where"])
             for f in json.loads(run.out)["findings"]}  # fmt: skip
    assert where == {
        ".codex/sessions/2026/03/02/rollout-1.jsonl":
            ("Codex session", "record 1, tool call shell (Codex), 2026-03-02"),
        ".codex/history.jsonl": ("Codex session", "record 1, prompt history (you), 2026-03-02"),
        ".claude/history.jsonl":
            ("Claude Code transcript", "record 1, prompt history (you), 2026-03-02"),
        ".gemini/tmp/abc/chats/session-2026-03-02T10-00-g1.jsonl":
            ("Gemini CLI chat", "record 2, message (you), 2026-03-02"),
    }  # fmt: skip
    assert a not in run.all and g not in run.all


def test_a_key_in_a_title_or_a_json_key_is_masked_in_the_report(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    export = tmp_path / "conversations.json"
    export.write_text(json.dumps([{"uuid": "c", "name": f"what is {a}", "chat_messages": [
        {"sender": "human", "text": f"what is {a}"}]}]))  # fmt: skip
    config = tmp_path / "settings.json"
    config.write_text(json.dumps({"tokens": {g: "mine"}}))
    for args in (("-f", "json"), ("-f", "sarif"), ()):
        run = keyguard("scan", *args, "--all-files", str(tmp_path))
        assert run.code == 1, run.err
        assert a not in run.all and g not in run.all, args
        assert a[-4:] in run.out or args == ("-f", "sarif")  # masked the usual way


def test_a_renamed_export_is_known_by_its_content_and_hints_override_names(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    renamed = tmp_path / "claude-backup-march.json"
    renamed.write_text(json.dumps(_claude_export(a, g, o)))
    found = json.loads(keyguard("scan", "-f", "json", str(renamed)).out)["findings"]
    assert {f["location"].get("source") for f in found} == {"claude.ai export"}
    odd = tmp_path / "models.conf"
    odd.write_text(f"models:\n  - apiKey: {a}\n")
    plain = json.loads(keyguard("scan", "-f", "json", str(odd)).out)["findings"]
    assert [f["location"].get("key_path") for f in plain] == [None]
    hinted = keyguard("scan", "-f", "json", "--format-hint", "yaml", str(odd))
    assert [f["location"].get("key_path") for f in json.loads(hinted.out)["findings"]] == [
        "models[0].apiKey"
    ]


def test_records_of_unexpected_shape_keep_their_findings(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a = tokens.anthropic(rng)
    claude = tmp_path / "conversations.json"
    claude.write_text(json.dumps([{"uuid": "c", "name": ["odd"], "chat_messages": [
        {"sender": ["human"], "created_at": 5, "text": f"k {a}"}]}]))  # fmt: skip
    chatgpt = tmp_path / "gpt" / "conversations.json"
    chatgpt.parent.mkdir()
    chatgpt.write_text(json.dumps([{"id": "x", "title": "t", "current_node": "n", "mapping": {
        "n": {"parent": "m", "message": {"author": 7, "content": {"parts": [a]},
                                          "create_time": 1e300}},
        "m": 3.5}}]))  # fmt: skip
    transcript = tmp_path / "t.jsonl"
    transcript.write_text(json.dumps({"timestamp": 1e300, "message": 4, "payload": [a]}) + "\n")
    run = keyguard("scan", "-f", "json", "--all-files", str(tmp_path))
    assert run.code == 1, run.err
    pointers = sorted(f["location"]["json_pointer"] for f in json.loads(run.out)["findings"])
    assert pointers == ["/0/chat_messages/0/text", "/0/mapping/n/message/content/parts/0",
                        "/payload/0"]  # fmt: skip
    assert a not in run.all


def test_older_single_document_sessions_of_codex_and_gemini(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    codex = tmp_path / ".codex" / "sessions" / "rollout-2025-01-01-abc.json"
    codex.parent.mkdir(parents=True)
    codex.write_text(json.dumps({"session": {"id": "abc"}, "items": [
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
        {"type": "function_call", "name": "shell", "arguments": json.dumps({"cmd": f"K={a}"})},
    ]}))  # fmt: skip
    gemini = tmp_path / ".gemini" / "tmp" / "h" / "chats" / "session-2025-01-01T10-00-x.json"
    gemini.parent.mkdir(parents=True)
    message = {"type": "user", "timestamp": "2025-01-01T10:00:00Z", "content": f"key {g}"}
    gemini.write_text(json.dumps({"sessionId": "x", "messages": [message]}))
    run = keyguard("scan", "-f", "json", "--all-files", str(tmp_path))
    assert run.code == 1, run.err
    found = {f["path"].rsplit("/", 1)[-1]: f["location"] for f in json.loads(run.out)["findings"]}
    assert found[codex.name]["where"] == "item 2, tool call shell (Codex)"
    assert found[codex.name]["inner_json_pointer"] == "/cmd"
    assert found[gemini.name]["where"] == "message 1 (you), 2025-01-01"
    assert found[gemini.name]["source"] == "Gemini CLI chat"


def test_json_location_keys_follow_the_documented_contract(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    """docs/scanning.md (Output) and DESIGN.md: json_pointer, key_path, conversation_title,
    conversation_id, message_index (0-based, as the export lists messages), message_id,
    sender, timestamp."""
    a, g, o = tokens.anthropic(rng), tokens.github_classic(rng), tokens.openai_project(rng)
    export = tmp_path / "conversations.json"
    export.write_text(json.dumps(_claude_export(a, g, o)))
    config = tmp_path / "config.toml"
    config.write_text(f'[mcp_servers.gh.env]\nGITHUB_TOKEN = "{g}"\n')
    run = keyguard("scan", "-f", "json", "--all-files", str(tmp_path))
    found = json.loads(run.out)["findings"]
    chat = next(f["location"] for f in found if f["rule_id"] == "anthropic-api-key")
    assert {k: chat[k] for k in ("conversation_title", "conversation_id", "message_index",
                                 "message_id", "sender", "timestamp")} == {
        "conversation_title": "Debug stripe webhook", "conversation_id": "c-2",
        "message_index": 2, "message_id": "m3", "sender": "you",
        "timestamp": "2026-03-02T09:02:00Z"}  # fmt: skip
    assert chat["json_pointer"].startswith("/1/chat_messages/2/")
    toml = next(f["location"] for f in found if f["path"].endswith("config.toml"))
    assert toml == {"key_path": "mcp_servers.gh.env.GITHUB_TOKEN"}
