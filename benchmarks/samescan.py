"""Same inputs, same scan output: compare ``keyguard scan`` before and after a refactor.

    python benchmarks/samescan.py [--before REV] [--after REV_OR_WORKTREE] [--keep DIR]

Builds a deterministic corpus (fixed seed) in a temporary folder, shaped as a home directory
and usable as a plain folder too, with at least one file of every kind keyguard reads
specially (shell rc files, fish, encoded credential files, configs, chat exports, agent
transcripts, editor stores, a zip, a file over 8 MiB, UTF-16, binary, a truncated export, an
inline ``keyguard: allow``, a baseline, a user rule).  Every key in it is made at run time by
``keyguard.testing.tokens``: the repository holds none.

Then runs ``python -m keyguard scan`` with the *before* source (``--before REV``, default
``HEAD``, extracted with ``git archive``) and with the *after* source (``--after``: a folder
holding ``src/keyguard``, or a revision; default this working tree), each in a fresh process
with ``HOME`` set to the corpus, over the folder (``--all-files``; JSON, text and SARIF), over
``--home`` (JSON and text) and over one project with a baseline.  The outputs are compared
once the volatile parts are dropped (``stats.seconds``, the "in 0.02 s" of the text summary,
timings on standard error); exit status and standard error are compared too.

Prints one line per run (findings, identical or not), the first differences as a unified
diff, and the findings per file kind, so a reader sees that the corpus reaches every reader.
Exit status: 0 identical, 1 different (or a key printed in clear), 2 the corpus does not
exercise a kind it should (or the check could not run).
"""

from __future__ import annotations

import argparse
import base64
import codecs
import difflib
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from random import Random
from typing import Any
from typing import NoReturn
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
from keyguard.testing import tokens  # noqa: E402
from keyguard.testing.corpus import document  # noqa: E402

SEED = 20260302
BLOCK = 8 << 20  # the scanner's block size (keyguard.scan.options)
OVERLAP = 64 << 10  # and the overlap between blocks (keyguard.scan.scanner)
DIFF_LINES = 60  # of unified diff shown per differing run
BS = "\\"


# -- the corpus ---------------------------------------------------------------------------


@dataclass
class Kind:
    """A kind of file keyguard reads specially, and what a finding read by its reader shows."""

    name: str
    files: list[str] = field(default_factory=list)  # corpus-relative paths
    mark: Callable[[dict[str, Any]], bool] | None = None  # a finding its reader has touched
    expect_none: str = ""  # why this kind must yield no finding (skipped, excluded, allowed)
    home: bool = False  # one of the places --home reads


def _loc(key: str, value: object = None) -> Callable[[dict[str, Any]], bool]:
    """Marks a finding whose ``location`` has ``key`` (equal to ``value`` when given)."""

    def mark(finding: dict[str, Any]) -> bool:
        location = finding.get("location") or {}
        return key in location and (value is None or location[key] == value)

    return mark


def _rule(rule_id: str) -> Callable[[dict[str, Any]], bool]:
    return lambda finding: finding.get("rule_id") == rule_id


class Corpus:
    """Writes the files, records each one's kind and every key planted."""

    def __init__(self, root: Path, rng: Random) -> None:
        self.root = root
        self.rng = rng
        self.kinds: dict[str, Kind] = {}
        self.secrets: list[str] = []

    def kind(self, name: str, mark: Callable[[dict[str, Any]], bool] | None = None,
             *, home: bool = False, expect_none: str = "") -> Kind:  # fmt: skip
        if name not in self.kinds:
            self.kinds[name] = Kind(name, mark=mark, home=home, expect_none=expect_none)
        return self.kinds[name]

    def write(self, rel: str, kind: Kind, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        kind.files.append(rel)
        return path

    def key(self, make: Callable[[Random], str]) -> str:
        token = make(self.rng)
        self.secrets.append(token)
        return token

    def line(self, rule_id: str) -> str:
        """A realistic line holding a fresh key of ``rule_id``."""
        text, token = tokens.PLANTS[rule_id](self.rng)
        self.secrets.append(token)
        return text

    # a few keys by name, for readability below
    def anthropic(self, kind: str = "api03") -> str:
        return self.key(lambda r: tokens.anthropic(r, kind))

    def github(self) -> str:
        return self.key(tokens.github_classic)

    def openai(self) -> str:
        return self.key(tokens.openai_project)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _jsonl(records: Iterable[object]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def build_home(c: Corpus) -> None:
    """What ``keyguard scan --home`` reads, at the places it looks (HOME is the corpus)."""
    rc = c.kind("shell rc (~/.zshrc, ~/.bashrc)", _loc("key_path"), home=True)
    c.write(".zshrc", rc, "# ~/.zshrc\nexport PATH=$HOME/bin:$PATH\n"
            f"export ANTHROPIC_API_KEY={c.anthropic()}\n{c.line('replicate-api-token')}\n"
            "alias ll='ls -l'\n")  # fmt: skip
    c.write(".bashrc", rc, f"# ~/.bashrc\n[ -z \"$PS1\" ] && return\nexport GITHUB_TOKEN="
            f"{c.github()}\n{c.line('huggingface-token')}\n")  # fmt: skip
    c.write(".env", c.kind(".env", _loc("key_path"), home=True),
            f"{c.line('openrouter-api-key')}\n{c.line('database-url')}\n")  # fmt: skip
    fish = c.kind("fish config.fish", _loc("key_path"), home=True)
    c.write(".config/fish/config.fish", fish, "if status is-interactive\nend\n"
            f"set -gx OPENAI_API_KEY {c.openai()}\nset -x GROQ_API_KEY "
            f"{c.line('groq-api-key').split('=', 1)[1]}\n")  # fmt: skip
    variables = c.kind("fish_variables (\\x2d escapes)", _loc("decoded"), home=True)
    hidden = c.anthropic().replace("-", BS + "x2d")
    c.write(".config/fish/fish_variables", variables,
            "# This file contains fish universal variable definitions.\n# VERSION: 3.0\n"
            f"SETUVAR --export ANTHROPIC_API_KEY:{hidden}\nSETUVAR fish_greeting:\n")  # fmt: skip

    creds = c.kind(".git-credentials (URL encoding)", _loc("decoded"), home=True)
    bedrock = c.key(tokens.bedrock_long_lived)  # base64: + / = are URL-encoded in the file
    c.write(".git-credentials", creds, f"https://me%40example.com:{c.github()}@github.com\n"
            f"https://codecommit-user:{quote(bedrock, safe='')}"
            "@git-codecommit.us-east-1.amazonaws.com\n")  # fmt: skip
    docker = c.kind("docker config.json (base64 auth)", _loc("decoded"), home=True)
    c.write(".docker/config.json", docker, json.dumps({"auths": {
        "ghcr.io": {"auth": _b64(f"token:{c.openai()}")},
        "https://index.docker.io/v1/": {"auth": _b64(f"me:{c.github()}")}},
        "credsStore": "desktop"}, indent=2))  # fmt: skip
    npmrc = c.kind(".npmrc (_auth base64)", _loc("decoded"), home=True)
    npm = c.key(tokens.npm)
    c.write(".npmrc", npmrc, f"registry=https://registry.npmjs.org/\n"
            f"//registry.npmjs.org/:_auth={_b64('me:' + npm)}\n"
            f"//npm.pkg.github.com/:_authToken={c.github()}\n")  # fmt: skip
    kube = c.kind("kube config (*-data base64)", _loc("decoded"), home=True)
    pem = c.key(tokens.private_key)
    c.write(".kube/config", kube, "apiVersion: v1\nkind: Config\nclusters:\n- name: dev\n"
            "  cluster:\n    server: https://127.0.0.1:6443\nusers:\n- name: me\n  user:\n"
            f"    client-key-data: {_b64(pem)}\n"
            f"    token: {c.key(tokens.github_fine_grained)}\n")  # fmt: skip
    ini = c.kind("INI (~/.aws/credentials, ~/.pypirc)", _loc("key_path"), home=True)
    c.write(".aws/credentials", ini, f"[default]\naws_access_key_id = {c.key(tokens.aws_key_id)}\n"
            f"aws_secret_access_key = {c.key(tokens.aws_secret)}\n\n[work]\n"
            f"aws_access_key_id = {c.key(tokens.aws_key_id)}\n")  # fmt: skip
    c.write(".pypirc", ini, "[distutils]\nindex-servers =\n    pypi\n\n[pypi]\n"
            f"username = __token__\n{c.line('pypi-token')}\n")  # fmt: skip

    mcp = c.kind("MCP JSON (~/.claude.json, VS Code mcp.json)", _loc("json_pointer"), home=True)
    c.write(".claude.json", mcp, json.dumps({
        "numStartups": 12, "mcpServers": {"github": {"type": "stdio", "command": "npx",
                                                     "env": {"GITHUB_TOKEN": c.github()}}},
        "projects": {"/home/me/app": {"mcpServers": {"stripe": {
            "command": "npx", "env": {"STRIPE_SECRET_KEY": c.line("stripe-live-key")[18:]}}}}},
    }, indent=2))  # fmt: skip
    c.write(".config/Code/User/mcp.json", mcp, json.dumps({"servers": {"tavily": {
        "command": "npx", "env": {"TAVILY_API_KEY": c.line("tavily-api-key")[15:]}}}}))  # fmt: skip
    managed = c.kind("app-managed login (.credentials.json)", _loc("managed_by"), home=True)
    c.write(".claude/.credentials.json", managed, json.dumps({"claudeAiOauth": {
        "accessToken": c.anthropic("oat01"), "refreshToken": c.anthropic("ort01"),
        "expiresAt": 1772442000000}}))  # fmt: skip

    transcript = c.kind("Claude Code transcript (projects/*.jsonl)",
                        _loc("source", "Claude Code transcript"), home=True)  # fmt: skip
    o = c.openai()
    session = "0b6c2f1e-7a1d-4c1e-9a55-3f2d7e1b9c01"
    c.write(f".claude/projects/-home-me-app/{session}.jsonl", transcript, _jsonl([
        {"type": "user", "sessionId": session, "timestamp": "2026-04-01T10:00:00Z",
         "message": {"role": "user", "content": f"why does {c.anthropic()} fail?"}},
        {"type": "assistant", "sessionId": session, "timestamp": "2026-04-01T10:00:03Z",
         "message": {"role": "assistant", "content": [{"type": "tool_use", "id": "t1",
                                                       "name": "Bash",
                                                       "input": {"command": "cat .env"}}]}},
        {"type": "user", "sessionId": session, "timestamp": "2026-04-01T10:00:05Z",
         "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1",
                                                  "content": f"OPENAI_API_KEY={o}\n"}]},
         "toolUseResult": {"stdout": f"OPENAI_API_KEY={o}\n", "stderr": ""}},
    ]))  # fmt: skip
    c.write(f".claude/projects/-home-me-app/{session}/subagents/agent-1.jsonl", transcript,
            _jsonl([{"type": "user", "sessionId": session, "timestamp": "2026-04-01T10:01:00Z",
                     "message": {"role": "user", "content": f"use {c.github()}"}}]))  # fmt: skip
    pasted = {"1": {"id": 1, "type": "text", "content": f"GH={c.github()}"}}
    c.write(".claude/history.jsonl", transcript, _jsonl([
        {"display": "[Pasted text #1]", "pastedContents": pasted, "timestamp": 1772442000000,
         "project": "/home/me/app", "sessionId": "s2"}]))  # fmt: skip
    copies = c.kind("Claude Code copies (paste-cache, file-history, shell-snapshots)",
                    _loc("source"), home=True)  # fmt: skip
    c.write(".claude/paste-cache/9f8e7d6c.txt", copies, f"here is my key {c.anthropic()}\n")
    c.write(f".claude/file-history/{session}/3c4d5e6f@v1", copies,
            f"GITHUB_TOKEN={c.github()}\nDEBUG=1\n")  # fmt: skip
    c.write(".claude/shell-snapshots/snapshot-zsh-1772442000000-abcd.sh", copies,
            f"export ANTHROPIC_API_KEY={c.anthropic()}\n")  # fmt: skip

    codex_config = c.kind("Codex config.toml (env key)", _loc("key_path"), home=True)
    c.write(".codex/config.toml", codex_config, 'model = "o4-mini"\n\n[mcp_servers.github]\n'
            'command = "npx"\nargs = ["-y", "@modelcontextprotocol/server-github"]\n\n'
            f'[mcp_servers.github.env]\nGITHUB_PERSONAL_ACCESS_TOKEN = "{c.github()}"\n\n'
            "[shell_environment_policy]\n"
            f'set = {{ OPENAI_API_KEY = "{c.openai()}" }}\n')  # fmt: skip
    codex = c.kind("Codex rollout (.jsonl, older .json)", _loc("source", "Codex session"),
                   home=True)  # fmt: skip
    a = c.anthropic()
    arguments = json.dumps({"command": ["bash", "-lc", f"export ANTHROPIC_API_KEY={a}"]})
    c.write(".codex/sessions/2026/03/02/rollout-2026-03-02T10-00-00-5f0c.jsonl", codex, _jsonl([
        {"timestamp": "2026-03-02T10:00:00Z", "type": "session_meta",
         "payload": {"id": "5f0c", "cwd": "/home/me/app"}},
        {"timestamp": "2026-03-02T10:00:01Z", "type": "response_item",
         "payload": {"type": "message", "role": "user",
                     "content": [{"type": "input_text", "text": f"key {c.github()}"}]}},
        {"timestamp": "2026-03-02T10:00:02Z", "type": "response_item",
         "payload": {"type": "function_call", "name": "shell", "arguments": arguments,
                     "call_id": "c1"}},
        {"timestamp": "2026-03-02T10:00:03Z", "type": "response_item",
         "payload": {"type": "function_call_output", "call_id": "c1",
                     "output": json.dumps({"output": "ok", "metadata": {"exit_code": 0}})}},
    ]))  # fmt: skip
    c.write(".codex/sessions/rollout-2025-01-01-abc.json", codex, json.dumps({
        "session": {"id": "abc", "timestamp": "2025-01-01T10:00:00Z"}, "items": [
            {"type": "message", "role": "user",
             "content": [{"type": "input_text", "text": "hi"}]},
            {"type": "function_call", "name": "shell",
             "arguments": json.dumps({"cmd": f"K={c.anthropic()}"})},
        ]}))  # fmt: skip
    c.write(
        ".codex/history.jsonl",
        codex,
        _jsonl([{"session_id": "s", "ts": 1772442000, "text": f"use {c.github()}"}]),
    )
    gemini = c.kind("Gemini CLI session (session-*.json, .jsonl)",
                    _loc("source", "Gemini CLI chat"), home=True)  # fmt: skip
    c.write(".gemini/tmp/h1/chats/session-2025-01-01T10-00-x.json", gemini, json.dumps({
        "sessionId": "x", "messages": [{"type": "user", "timestamp": "2025-01-01T10:00:00Z",
                                        "content": f"key {c.github()}"}]}))  # fmt: skip
    c.write(".gemini/tmp/h1/chats/session-2026-03-02T10-00-g1.jsonl", gemini, _jsonl([
        {"sessionId": "g1", "projectHash": "h1", "startTime": "2026-03-02T10:00:00Z"},
        {"id": "m1", "timestamp": "2026-03-02T10:01:00Z", "type": "user",
         "content": [{"text": f"key {c.anthropic()}"}]},
        {"$rewindTo": "m1"},
    ]))  # fmt: skip

    user = ".config/Code/User"
    vscode = c.kind("VS Code chatSessions (.json, .jsonl)", _loc("where"), home=True)

    def request(text: str, stamp: int, answer: str = "ok") -> dict[str, object]:
        return {"message": {"text": text}, "timestamp": stamp, "response": [{"value": answer}]}

    c.write(f"{user}/workspaceStorage/abc123/chatSessions/5f0c.json", vscode, json.dumps({
        "version": 3, "customTitle": "Fix CI", "requests": [
            request("hi", 1772442000000),
            request(f"token {c.anthropic()}", 1772442060000, answer=f"set GH={c.github()}"),
        ]}))  # fmt: skip
    c.write(f"{user}/globalStorage/emptyWindowChatSessions/77aa.jsonl", vscode, _jsonl([
        {"kind": 0, "v": {"version": 3, "requests": [request("hi", 1772442000000)]}},
        {"kind": 2, "k": ["requests"], "i": 1,
         "v": [request(f"key {c.anthropic()}", 1772442060000)]},
        {"kind": 1, "k": ["customTitle"], "v": "Keys"},
        {"kind": 2, "k": ["requests"], "i": 1, "v": [request(f"now {c.openai()}", 1772528400000)]},
    ]))  # fmt: skip
    cline = c.kind("Cline task (api_conversation_history.json)", _loc("where"), home=True)
    task = f"{user}/globalStorage/saoudrizwan.claude-dev/tasks/1772442000000"
    c.write(f"{task}/api_conversation_history.json", cline, json.dumps([
        {"role": "user", "content": [{"type": "text", "text": "<task>deploy</task>"}]},
        {"role": "assistant", "content": [{"type": "tool_use", "name": "execute_command",
                                           "input": {"command": f"export GH={c.github()}"}}]},
        {"role": "user", "content": [{"type": "text", "text": f"use {c.anthropic()}"}]},
    ]))  # fmt: skip
    c.write(
        f"{task}/ui_messages.json",
        cline,
        json.dumps(
            [{"ts": 1772442000000, "type": "say", "say": "task", "text": f"with {c.openai()}"}]
        ),
    )
    vscdb = c.kind("state.vscdb (SQLite)", _loc("table"), home=True)
    build_vscdb(c, ".config/Cursor/User/globalStorage/state.vscdb", vscdb)


def build_vscdb(c: Corpus, rel: str, kind: Kind) -> None:
    path = c.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    kind.files.append(rel)
    prompts = json.dumps([{"text": f"why does {c.anthropic()} fail?", "commandType": 4}])
    bubble = json.dumps({"type": 1, "text": f"token is {c.github()}"})
    escaped = c.openai().replace("-", BS + "u002d")
    composer = json.dumps({"name": "Deploy script", "fullConversationHeadersOnly": [
        {"bubbleId": "b1", "type": 1}, {"bubbleId": "b2", "type": 2}, {"bubbleId": "b7", "type": 1},
    ], "conversation": [{"text": "hello"}, {"text": f"use {c.github()}"}]})  # fmt: skip
    db = sqlite3.connect(path)
    try:
        for table in ("ItemTable", "cursorDiskKV"):
            db.execute(f"CREATE TABLE {table} (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)")
        rows = [
            ("ItemTable", "aiService.prompts", prompts),
            ("ItemTable", 'secret://{"extensionId":"x","key":"k"}', c.key(tokens.npm)),
            ("ItemTable", "workbench.notes", '{"note": "' + escaped + '"}'),
            ("cursorDiskKV", "composerData:c1", composer),
            ("cursorDiskKV", "bubbleId:c1:b7", bubble.encode()),
        ]
        for table, key, value in rows:
            db.execute(f"INSERT INTO {table} VALUES (?, ?)", (key, value))  # noqa: S608
        db.commit()
    finally:
        db.close()


def _claude_export(c: Corpus) -> list[object]:
    a, g, o = c.anthropic(), c.github(), c.openai()
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


def _chatgpt_export(c: Corpus) -> list[object]:
    def node(parent: str | None, role: str, text: str, children: list[str]) -> dict[str, object]:
        message = {"author": {"role": role}, "create_time": 1772442000.0,
                   "content": {"content_type": "text", "parts": [text]}}  # fmt: skip
        return {"parent": parent, "children": children, "message": message}

    mapping = {
        "root": {"parent": None, "children": ["u1"], "message": None},
        "u1": node("root", "user", f"help me debug {c.github()}", ["a1"]),
        "a1": node("u1", "assistant", "sure", ["u2-edited", "u2"]),
        "u2-edited": node("a1", "user", f"oops pasted {c.anthropic()}", []),  # left behind
        "u2": node("a1", "user", "here is the log", []),
    }
    return [{"id": "x", "title": "Webhook", "create_time": 1772442000.0, "current_node": "u2",
             "mapping": mapping}]  # fmt: skip


def build_folder(c: Corpus) -> None:
    """Files outside the places --home reads: exports, a project, large and odd files."""
    claude = c.kind("Claude.ai export (conversations.json)", _loc("source", "claude.ai export"))
    export = json.dumps(_claude_export(c), ensure_ascii=False)
    c.write("Downloads/claude-export/conversations.json", claude, export)
    projects = c.kind("Claude.ai projects.json", _loc("where"))
    c.write(
        "Downloads/claude-export/projects.json",
        projects,
        json.dumps(
            [
                {
                    "uuid": "p1",
                    "name": "Billing",
                    "prompt_template": f"use {c.github()}",
                    "docs": [
                        {"uuid": "d", "filename": "setup.md", "content": f"KEY={c.anthropic()}\n"}
                    ],
                }
            ]
        ),
    )
    chatgpt = c.kind("ChatGPT export (conversations.json, mapping)", _loc("conversation_id"))
    c.write("Downloads/chatgpt-export/conversations.json", chatgpt,
            json.dumps({"conversations": _chatgpt_export(c)}))  # fmt: skip
    html = c.kind("ChatGPT chat.html", _loc("conversation_id"))
    c.write("Downloads/chatgpt-export/chat.html", html,
            "<html><head><title>ChatGPT Data Export</title></head><body><script>\n"
            f"var filler = '{'x' * 3000}';\nvar jsonData = {json.dumps(_chatgpt_export(c))};\n"
            "var assetsJson = {};\n</script></body></html>\n")  # fmt: skip
    archive = c.kind("zip of an export", _loc("conversation_id"))
    rel = "Downloads/claude-export-2026-03-02.zip"
    (c.root / rel).parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(c.root / rel, "w", zipfile.ZIP_DEFLATED) as z:
        members = (("conversations.json", json.dumps(_claude_export(c))), ("users.json", "[]"),
                   ("file-abc-notes.txt", f"backup key {c.key(tokens.npm)}\n"))  # fmt: skip
        for name, text in members:
            z.writestr(zipfile.ZipInfo(name, (2026, 3, 2, 9, 0, 0)), text)
    archive.files.append(rel)
    broken = c.kind("truncated export (an error)", _loc("where"))
    text = json.dumps(_claude_export(c) * 2)
    c.write("Downloads/broken-export/conversations.json", broken,
            text[: text.rindex("Debug stripe webhook")])  # fmt: skip

    app = "projects/app"
    plain = c.kind("plain source text")
    c.write(f"{app}/main.py", plain, document(c.rng, plants=12, decoy_lines=12))
    for i in range(24):  # enough files (64+) for the parallel scan of the folder
        c.write(f"{app}/pkg/mod_{i:02d}.py", plain, document(c.rng, plants=1, decoy_lines=3))
    c.write(f"{app}/.env", c.kinds[".env"], f"{c.line('anthropic-api-key')[7:]}\n"
            f"{c.line('stripe-test-key')}\n{c.line('slack-token')}\n")  # fmt: skip
    yaml = c.kind("YAML config", _loc("key_path"))
    c.write(f"{app}/settings.yaml", yaml, "service:\n  name: api\nmodels:\n"
            f"  - name: claude\n    apiKey: {c.anthropic()}\n"
            f"  - name: gpt\n    apiKey: '{c.openai()}'\nretries: 3\n")  # fmt: skip
    toml = c.kind("TOML config", _loc("key_path"))
    c.write(f"{app}/deploy.toml", toml, '[service]\nname = "api"\n\n[[profiles]]\nname = "a"\n\n'
            f'[[profiles]]\nname = "b"\nenv = {{ GITHUB_TOKEN = "{c.github()}" }}\n'
            f'args = ["--token", "{c.key(tokens.npm)}"]\n')  # fmt: skip
    ini = c.kinds["INI (~/.aws/credentials, ~/.pypirc)"]
    c.write(f"{app}/setup.cfg", ini, f"[metadata]\nname = app\n\n[secrets]\n"
            f"{c.line('generic-secret-assignment').replace('=', ' = ', 1)}\n")  # fmt: skip
    escapes = c.kind("JSON escapes (\\u002d, \\/, doubled \\\\u002d)", _loc("decoded"))
    inner = '{"cmd": "export K=' + c.openai().replace("-", BS + "u002d") + '"}'
    hook = c.line("slack-webhook-url").split(": ", 1)[1]  # webhook: https://hooks.slack…
    c.write(f"{app}/settings.json", escapes,
            '{\n  "note": "' + c.anthropic().replace("-", BS + "u002d") + '",\n'
            '  "webhook": "' + hook.replace("/", BS + "/") + '",\n'
            f'  "job": {json.dumps(inner)},\n  "plain": "{c.github()}"\n}}\n')  # fmt: skip
    utf16 = c.kind("UTF-16 with BOM")
    c.write(f"{app}/notes-utf16.txt", utf16, codecs.BOM_UTF16_LE + (
        f"Notes — café\n{c.line('gemini-api-key')}\nexport K={c.anthropic()}\n"
    ).encode("utf-16-le"))  # fmt: skip
    binary = c.kind("binary (NUL in the first 8000 bytes)", expect_none="skipped as binary")
    c.write(f"{app}/assets/logo.bin", binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
            + c.rng.randbytes(2000) + f"\nGITHUB_TOKEN={c.github()}\n".encode())  # fmt: skip
    mixed = c.kind("invalid UTF-8, NUL after 8000 bytes")
    c.write(f"{app}/data/dump.dat", mixed, b"header\n" + b"abcdefgh\n" * 1000 + b"\0\0\n"
            + b"\xff\xfe bad bytes then " + c.anthropic().encode() + b"\n")  # fmt: skip
    allow = c.kind("inline keyguard: allow (2 allowed, 1 found)")
    c.write(f"{app}/fixtures.py", allow, f'KNOWN = "{c.github()}"  # keyguard: allow\n'
            f"# keyguard: allow-next-line\n{c.line('stripe-live-key')}\n"
            f"REAL = '{c.openai()}'\n")  # fmt: skip
    vendor = c.kind("excluded by .keyguard.toml", expect_none="excluded by the config")
    c.write(f"{app}/vendor/lib.js", vendor, f"const key = '{c.anthropic()}';\n")
    user_rule = c.kind("user rule (.keyguard.toml)", _rule("acme-api-key"))
    acme = c.key(lambda r: "acme_" + tokens.rand(r, tokens.ALNUM, 32))
    c.write(f"{app}/client.py", user_rule, f'client = Acme("{acme}")\n')
    c.write(".keyguard.toml", c.kind("keyguard config", expect_none="holds no key"),
            'exclude = ["**/vendor/**"]\n\n[[rules]]\nid = "acme-api-key"\nprovider = "acme"\n'
            'description = "ACME API key"\n'
            "pattern = 'acme_(?P<secret>[A-Za-z0-9]{32})'\n"
            'keywords = ["acme_"]\nconfidence = "high"\n'
            'remediation = "https://acme.example/settings/keys"\n')  # fmt: skip

    large = c.kind("large file (> 8 MiB, read in blocks)")
    c.write("logs/big.log", large, big_text(c, 9 * (1 << 20) + 300_000, escaped=False))
    large_json = c.kind("large JSON lines (escapes across blocks)", _loc("decoded"))
    c.write("logs/events.ndjson", large_json, big_text(c, BLOCK + 2 * OVERLAP, escaped=True))


def big_text(c: Corpus, size: int, escaped: bool) -> bytes:
    """``size`` bytes of log lines with keys on the first lines, across the 8 MiB block
    boundary, across the end of the blocks' overlap, and on the last line."""
    out = bytearray()
    n = 0

    def fill(until: int) -> None:
        nonlocal n
        while len(out) < until:
            if escaped:
                out.extend(b'{"n": %d, "level": "info", "path": "/api/v1/items"}\n' % n)
            else:
                out.extend(b"2026-03-02T10:00:00Z INFO request %d path=/api/v1/items 200\n" % n)
            n += 1
        del out[until:]
        out.extend(b"\n")

    def plant(at: int, hidden: bool = False) -> None:
        token = c.anthropic() if hidden else c.github()
        written = token.replace("-", BS + "u002d") if escaped else token
        prefix = b'{"key": "' if escaped else b"export TOKEN="
        fill(at - len(prefix) - 1)
        out.extend(prefix + written.encode() + (b'"}\n' if escaped else b"\n"))

    plant(200)
    plant(BLOCK - 40, hidden=True)  # cut by the first block's end: the overlap holds it
    plant(BLOCK + OVERLAP - 30, hidden=True)  # cut by the end of the first block's overlap
    plant(size - 400)
    fill(size - 1)
    return bytes(out)


BASELINED = "projects/legacy"


def build_baseline_project(c: Corpus) -> Kind:
    """A project whose old keys are in a baseline; one file written after it is new."""
    kind = c.kind("baseline (only the file added after it)")
    c.write(f"{BASELINED}/old_settings.py", kind,
            f"{c.line('openai-legacy-key')}\n{c.line('sendgrid-api-key')}\n")  # fmt: skip
    return kind


def finish_baseline_project(c: Corpus, kind: Kind) -> None:
    c.write(f"{BASELINED}/.env.local", kind, f"{c.line('xai-api-key')}\n")


def machine_files(c: Corpus, data_dir: Path) -> None:
    """A fixed fingerprint key (fingerprints reproducible across runs of this script) and a
    vault manifest naming one planted key, so findings get their ``vault_name``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    key = c.rng.randbytes(32)
    path = data_dir / "fingerprint.key"
    path.write_bytes(key)
    path.chmod(0o600)
    vaulted = c.secrets[0]  # the ANTHROPIC_API_KEY of ~/.zshrc
    fp = hmac.new(key, vaulted.encode(), hashlib.sha256).hexdigest()[:32]
    manifest = {"version": 1, "entries": {"anthropic/work": {
        "backend": "file", "fingerprint": fp, "created": "2026-03-01T10:00:00Z"}}}  # fmt: skip
    (data_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))


# -- the runs -----------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    args: list[str]
    cwd: str = ""  # corpus-relative; "" is the corpus root
    fmt: str = "text"
    any_order: bool = False  # --home: the places are visited in the order of the kinds table


def runs(corpus: Path, baseline: Path) -> list[Run]:
    folder = ["--no-progress", "--all-files", str(corpus)]
    home = ["--no-progress", "--home"]
    project = ["--format", "json", "--no-progress", "--all-files", "--baseline", str(baseline)]
    return [
        Run("folder --format json", ["scan", "--format", "json", *folder], fmt="json"),
        Run("folder text", ["scan", *folder]),
        Run("folder --format sarif", ["scan", "--format", "sarif", *folder], fmt="sarif"),
        Run(
            "--home --format json", ["scan", "--format", "json", *home], fmt="json", any_order=True
        ),
        Run("--home text", ["scan", *home], any_order=True),
        Run("project --baseline json", ["scan", *project, "."], cwd=BASELINED, fmt="json"),
    ]


@dataclass
class Output:
    code: int
    out: str
    err: str
    seconds: float


def environment(corpus: Path, data_dir: Path, src: Path) -> dict[str, str]:
    drop = ("KEYGUARD_", "XDG_", "PYTHON")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(drop) and k not in ("CLAUDE_CONFIG_DIR", "CODEX_HOME", "APPDATA",
                                                    "NO_COLOR", "COLUMNS")}  # fmt: skip
    env.update(
        HOME=str(corpus),
        XDG_CONFIG_HOME=str(corpus / ".config"),
        KEYGUARD_DATA_DIR=str(data_dir),
        KEYGUARD_CONFIG=str(data_dir / "no-user-config.toml"),
        PYTHONPATH=str(src),
        PYTHONDONTWRITEBYTECODE="1",  # never write __pycache__ into either tree
        PYTHONHASHSEED="0",
        NO_COLOR="1",
    )
    return env


def execute(args: list[str], env: dict[str, str], cwd: Path) -> Output:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "keyguard", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    return Output(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)


_NOT_HERE = re.compile(r"not here: (?P<shown>.*?)(?: and (?P<more>\d+) more)?$", re.MULTILINE)


def _places(m: re.Match[str]) -> str:
    return f"not here: {len(m.group('shown').split(', ')) + int(m.group('more') or 0)} places"


_TEXT_SECONDS = re.compile(r"\bin \d+(?:\.\d+)? s\b")
_ERR_TIMING = re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|s|seconds?)\b")


def normalized(run: Run, output: Output, paths: dict[str, str]) -> str:
    """The output without its volatile parts, the temporary paths named, exit status first."""
    out = output.out
    if run.fmt == "json":
        try:
            data = json.loads(out)
        except ValueError:
            pass  # not JSON: compared as it is
        else:
            data.get("stats", {}).pop("seconds", None)
            if run.any_order:
                data["findings"] = sorted(data.get("findings", []), key=json.dumps)
            out = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif run.fmt == "text":
        out = _TEXT_SECONDS.sub("in <seconds> s", out)
        if run.any_order:  # one block per file, then the summary
            blocks = out.rstrip("\n").split("\n\n")
            out = "\n\n".join([*sorted(blocks[:-1]), blocks[-1]]) + "\n"
    err = "".join(_ERR_TIMING.sub("<time>", line) if _ERR_TIMING.search(line) else line
                  for line in output.err.splitlines(keepends=True))  # fmt: skip
    if run.any_order:  # "not here: a, b, c, d and 5 more": how many places, not which 4 first
        err = _NOT_HERE.sub(_places, err)
    text = f"exit status {output.code}\n--- stdout\n{out}--- stderr\n{err}"
    for path, name in sorted(paths.items(), key=lambda p: -len(p[0])):
        text = text.replace(path, name)
    return text


def findings_of(run: Run, output: Output) -> list[dict[str, Any]] | None:
    try:
        data = json.loads(output.out)
    except ValueError:
        return None
    if run.fmt == "json":
        return list(data.get("findings", []))
    if run.fmt == "sarif":
        return [r for one in data.get("runs", []) for r in one.get("results", [])]
    return None


def count(run: Run, output: Output) -> str:
    found = findings_of(run, output)
    if found is not None:
        return str(len(found))
    m = re.search(r"^(\d+) findings? in", output.out, re.MULTILINE)
    return m.group(1) if m else ("0" if "no secrets found" in output.out else "?")


# -- the trees ----------------------------------------------------------------------------


def fail(message: str) -> NoReturn:
    """Stop: the check could not run (exit status 2)."""
    print(f"samescan: {message}", file=sys.stderr)
    raise SystemExit(2)


def git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def extract(rev: str, into: Path) -> Path:
    """``rev``'s ``src`` (read with ``git archive``: nothing is written to the repository)."""
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    into.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "src"], check=True,
                             capture_output=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def source_tree(spec: str | None, into: Path) -> tuple[Path, str]:
    """(the ``src`` folder, how to name it) for a worktree folder or a revision."""
    if spec is None:
        return REPO / "src", f"working tree {REPO}"
    folder = Path(spec)
    if folder.is_dir():
        src = folder / "src" if (folder / "src" / "keyguard").is_dir() else folder
        if not (src / "keyguard").is_dir():
            fail(f"{spec}: no src/keyguard there")
        return src.resolve(), f"tree {folder.resolve()}"
    return extract(spec, into), f"{spec} ({git('rev-parse', '--short', spec)})"


def imports_from(src: Path, env: dict[str, str]) -> bool:
    done = subprocess.run([sys.executable, "-c", "import keyguard; print(keyguard.__file__)"],
                          env=env, capture_output=True, text=True)  # fmt: skip
    return Path(done.stdout.strip()).resolve().is_relative_to(src.resolve())


# -- the report ---------------------------------------------------------------------------


def rel_path(path: str, corpus: str, cwd: str = "") -> str:
    """A finding's path as a corpus-relative one (the folder scans name absolute paths,
    ``--home`` ``~/…``, the baseline run paths relative to its folder)."""
    path = path.split("!", 1)[0]  # archive.zip!member
    if path.startswith("~/"):
        return path[2:]
    if path.startswith(corpus + os.sep):
        return path[len(corpus) + 1 :]
    return os.path.normpath(os.path.join(cwd, path))


def coverage(c: Corpus, folder: list[dict[str, Any]], home: list[dict[str, Any]],
             baselined: list[dict[str, Any]]) -> list[str]:  # fmt: skip
    """Print findings per kind; the problems (a kind without findings, a reader not reached)."""
    corpus = str(c.root)
    by_file: dict[str, str] = {f: k.name for k in c.kinds.values() for f in k.files}
    tallies: dict[str, dict[str, list[dict[str, Any]]]] = {}
    scans = (("folder", folder, ""), ("home", home, ""), ("baseline", baselined, BASELINED))
    for scan, found, cwd in scans:
        for f in found:
            place = rel_path(str(f.get("path", "")), corpus, cwd)
            name = by_file.get(place, "(not in the corpus)")
            tallies.setdefault(name, {}).setdefault(scan, []).append(f)
    problems = []
    width = max(len(k) for k in c.kinds)
    print(f"\nfindings per file kind ({len(c.kinds)} kinds, {len(by_file)} files):")
    print(f"  {'kind':<{width}}  files  folder    home  reader")
    for kind in c.kinds.values():
        seen = tallies.get(kind.name, {})
        in_folder, in_home = seen.get("folder", []), seen.get("home", [])
        if kind.name.startswith("baseline"):
            in_folder = seen.get("baseline", [])
        home_count = str(len(in_home)) if kind.home else "-"
        note = "-"
        if kind.expect_none:
            note = f"none expected ({kind.expect_none})"
            if in_folder or in_home:
                problems.append(f"{kind.name}: findings where none were expected")
        elif not in_folder or (kind.home and not in_home):
            note = "NO FINDINGS: the corpus misses this reader"
            problems.append(f"{kind.name}: no findings")
        elif kind.mark is not None:
            reached = any(kind.mark(f) for f in in_folder + in_home)
            note = "yes" if reached else "NOT REACHED (no finding carries its mark)"
            if not reached:
                problems.append(f"{kind.name}: its reader left no mark")
        print(f"  {kind.name:<{width}}  {len(kind.files):>5}  {len(in_folder):>6}  "
              f"{home_count:>6}  {note}")  # fmt: skip
    stray = tallies.get("(not in the corpus)")
    if stray:
        problems.append(f"{sum(len(v) for v in stray.values())} findings outside the corpus")
    return problems


def side_effects(folder: Output, home: Output, baselined: Output, folder_root: str) -> list[str]:
    """Print, and check, what the scans say besides findings: stats, errors, --home groups."""
    problems = []
    try:
        stats = json.loads(folder.out)["stats"]
        errors = json.loads(folder.out)["errors"]
        in_baseline = json.loads(baselined.out)["stats"].get("baselined", 0)
    except (ValueError, KeyError):
        return ["the JSON runs did not print a JSON report"]
    groups = [line for line in home.err.splitlines() if " scanned" in line]
    print(f"\nfolder scan: {stats['files']} files, {stats['bytes']} bytes, "
          f"{stats['skipped_binary']} binary, {stats['suppressed']} allowed inline, "
          f"{len(errors)} error(s); baseline run: {in_baseline} in the baseline; "
          f"--home: {len(groups)} groups reported")  # fmt: skip
    for error in errors:
        print(f"  error: {rel_path(error['path'], folder_root)}: {error['message'][:60]}…")
    if stats["skipped_binary"] < 1:
        problems.append("no binary file was skipped")
    if stats["suppressed"] < 2:
        problems.append("the inline allow directives suppressed fewer than 2 findings")
    if not any("truncated" in e["message"] for e in errors):
        problems.append("the truncated export gave no error")
    if in_baseline < 2:
        problems.append("the baseline hid fewer than 2 findings")
    if len(groups) < 5:
        problems.append("--home reported fewer than 5 groups on stderr")
    return problems


def leaks(c: Corpus, texts: Iterable[str]) -> int:
    """How many planted keys any output shows in clear (they must all be masked)."""
    blob = "\n".join(texts)
    return sum(1 for s in set(c.secrets) if s in blob)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="HEAD", metavar="REV",
                        help="revision scanned first (default: HEAD)")  # fmt: skip
    parser.add_argument("--after", metavar="REV_OR_WORKTREE",
                        help="a worktree (or its src) or a revision "
                        "(default: this working tree)")  # fmt: skip
    parser.add_argument("--keep", metavar="DIR",
                        help="build the corpus and keep it and every output in DIR "
                        "(which must not exist)")  # fmt: skip
    args = parser.parse_args(argv)

    started = time.perf_counter()
    if args.keep:
        work = Path(args.keep).resolve()
        if work.exists():
            parser.error(f"--keep {work}: already exists")
        work.mkdir(parents=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="samescan-"))
    try:
        return compare(args.before, args.after, work, started)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: {work}")


def compare(before_spec: str, after_spec: str | None, work: Path, started: float) -> int:
    corpus, data_dir, baseline = work / "home", work / "data", work / "baseline.json"
    before_src, before_name = source_tree(before_spec, work / "before")
    after_src, after_name = source_tree(after_spec, work / "after")
    c = Corpus(corpus, Random(SEED))
    build_home(c)
    build_folder(c)
    legacy = build_baseline_project(c)
    machine_files(c, data_dir)
    built = time.perf_counter() - started
    envs = {side: environment(corpus, data_dir, src)
            for side, src in (("before", before_src), ("after", after_src))}  # fmt: skip
    for side, src in (("before", before_src), ("after", after_src)):
        if not imports_from(src, envs[side]):
            print(f"samescan: python does not import keyguard from {src}", file=sys.stderr)
            return 2
    made = execute(["baseline", "create", "--output", str(baseline)], envs["before"],
                   corpus / BASELINED)  # fmt: skip
    if made.code != 0:
        print(f"samescan: keyguard baseline create failed:\n{made.err}", file=sys.stderr)
        return 2
    finish_baseline_project(c, legacy)

    plan = runs(corpus, baseline)
    jobs = [(run, side) for run in plan for side in ("before", "after")]
    with ThreadPoolExecutor(max_workers=max(2, min(4, os.cpu_count() or 2))) as pool:
        results = list(pool.map(lambda job: execute(job[0].args, envs[job[1]],
                                                    corpus / job[0].cwd), jobs))  # fmt: skip
    outputs = {(run.name, side): out for (run, side), out in zip(jobs, results, strict=True)}
    names = {str(corpus): "$HOME", str(work): "$WORK"}

    print(f"samescan: before = {before_name}\n          after  = {after_name}")
    print(f"corpus: {len(c.secrets)} keys planted in {sum(len(k.files) for k in c.kinds.values())} "
          f"files, built in {built:.1f} s\n")  # fmt: skip
    different = []
    width = max(len(run.name) for run in plan)
    for run in plan:
        b, a = outputs[(run.name, "before")], outputs[(run.name, "after")]
        nb, na = normalized(run, b, names), normalized(run, a, names)
        same = nb == na
        cb, ca = count(run, b), count(run, a)
        counts = cb if cb == ca else f"{cb} → {ca}"
        verdict = "identical" if same else "DIFFERENT"
        print(f"  {run.name:<{width}}  exit {b.code}  {counts:>7} findings  {verdict}  "
              f"({b.seconds:.1f} s / {a.seconds:.1f} s)")  # fmt: skip
        if not same:
            different.append((run, nb, na))
    for run, nb, na in different:
        diff = list(difflib.unified_diff(nb.splitlines(), na.splitlines(),
                                         f"before: {run.name}", f"after: {run.name}",
                                         lineterm="", n=2))  # fmt: skip
        print(f"\n{run.name}: first differences ({len(diff)} diff lines)")
        print("\n".join(diff[:DIFF_LINES]))
        if len(diff) > DIFF_LINES:
            print(f"... {len(diff) - DIFF_LINES} more lines (use --keep DIR to see the outputs)")

    outdir = work / "outputs"  # kept with --keep
    outdir.mkdir()
    for run in plan:
        slug = re.sub(r"[^a-z]+", "-", run.name.lower()).strip("-")
        for side in ("before", "after"):
            text = normalized(run, outputs[(run.name, side)], names)
            (outdir / f"{slug}.{side}.txt").write_text(text, encoding="utf-8")

    found = {run.name: findings_of(run, outputs[(run.name, "before")]) or [] for run in plan}
    problems = coverage(c, found["folder --format json"], found["--home --format json"],
                        found["project --baseline json"])  # fmt: skip
    problems += side_effects(outputs[("folder --format json", "before")],
                             outputs[("--home text", "before")],
                             outputs[("project --baseline json", "before")],
                             str(corpus))  # fmt: skip
    leaked = leaks(c, (o.out + o.err for o in outputs.values()))
    total = time.perf_counter() - started
    print()
    if leaked:
        print(f"samescan: {leaked} planted keys appear in clear in the output")
    for problem in problems:
        print(f"samescan: corpus problem: {problem}")
    if different:
        print(f"samescan: DIFFERENT: {len(different)} of {len(plan)} runs changed ({total:.1f} s)")
        return 1
    if leaked:
        return 1
    print(f"samescan: identical: all {len(plan)} runs give the same output ({total:.1f} s)")
    return 2 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
