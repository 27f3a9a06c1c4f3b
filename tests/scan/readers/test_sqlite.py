"""VS Code / Cursor ``state.vscdb``: each stored value scanned, named by table and key."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

from keyguard.testing import tokens


def test_editor_chat_storage(keyguard, tmp_path: Path, rng: random.Random) -> None:
    a, g, hidden = tokens.anthropic(rng), tokens.github_classic(rng), tokens.npm(rng)
    path = tmp_path / "state.vscdb"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)")
    db.execute("CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)")
    prompts = json.dumps([{"text": f"why does {a} fail?", "commandType": 4}])
    bubble = json.dumps({"type": 1, "text": f"token is {g}"})
    composer = json.dumps({"name": "Deploy script", "fullConversationHeadersOnly": [
        {"bubbleId": "b1", "type": 1}, {"bubbleId": "b2", "type": 2}, {"bubbleId": "b7", "type": 1},
    ]})  # fmt: skip
    db.execute("INSERT INTO ItemTable VALUES (?, ?)", ("aiService.prompts", prompts))
    db.execute("INSERT INTO cursorDiskKV VALUES (?, ?)", ("composerData:c1", composer))
    db.execute("INSERT INTO ItemTable VALUES (?, ?)", ('secret://{"k":1}', hidden))
    db.execute("INSERT INTO cursorDiskKV VALUES (?, ?)", ("bubbleId:c1:b7", bubble.encode()))
    db.commit()
    db.close()
    run = keyguard("scan", "-f", "json", str(path))
    assert run.code == 1, run.err
    found = json.loads(run.out)["findings"]
    assert sorted(
        (f["location"]["table"], f["location"]["row_key"], f["rule_id"]) for f in found
    ) == [
        ("ItemTable", "aiService.prompts", "anthropic-api-key"),
        ("cursorDiskKV", "bubbleId:c1:b7", "github-token"),
    ]  # and the encrypted secret:// entry is left alone
    where = sorted((f["location"]["where"], f["location"]["json_pointer"]) for f in found)
    assert where == [
        ("Cursor chat 'Deploy script', message 3 (you)", "/text"),
        ("Cursor prompt history, prompt 1", "/0/text"),
    ]
    text = keyguard("scan", str(path))
    assert "in Cursor chat 'Deploy script', message 3 (you)" in text.out
    assert "scanned 1 file" in text.out
    broken = tmp_path / "other.vscdb"
    broken.write_bytes(b"not a database" * 100)
    bad = keyguard("scan", str(broken))
    assert bad.code == 2 and "other.vscdb: cannot read:" in bad.err
    for secret in (a, g, hidden):
        assert secret not in run.all + text.all
