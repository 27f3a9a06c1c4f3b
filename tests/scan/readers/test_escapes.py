"""Keys written with JSON escapes are found decoded, at the file's own positions."""

from __future__ import annotations

import json
import random
from pathlib import Path

from keyguard.scan.options import ScanOptions
from keyguard.scan.pipeline import scan_data
from keyguard.scan.pipeline import scan_target
from keyguard.scan.readers.escapes import Decoded
from keyguard.scan.readers.escapes import windows
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.scanner import Scanner
from keyguard.scan.sources import Target
from keyguard.testing import tokens

BS = "\\"


def test_decoding_maps_every_offset_back_to_the_raw_text() -> None:
    raw = rb"ab\u002dcd\/e \\u002d \u0022 \\n"
    window = Decoded(raw)
    # one and two levels of escaping decoded; a quote and an escaped backslash kept as written
    assert window.text == rb"ab-cd/e - \u0022 \\n"
    assert [window.original(i) for i in (0, 2, 3, 5, 6, 7, 8, 9)] == [0, 2, 8, 10, 12, 13, 14, 21]
    assert window.spans_escape(0, 3) and window.spans_escape(5, 6) and window.spans_escape(8, 9)
    assert not window.spans_escape(3, 5) and not window.spans_escape(9, 20)
    assert not Decoded(b"plain text").changed


def test_windows_stay_on_the_line_and_merge() -> None:
    data = b"first line\n" + b"x" * 50 + rb"\/" + b"y" * 10 + rb"\u002d" + b"z\nlast"
    assert windows(data, len(data)) == [(11, data.index(b"\nlast"))]
    assert windows(b"nothing to decode here", 22) == []
    two = rb"a\/b" + b"\n" + rb"c\/d"
    assert windows(two, len(two)) == [(0, 4), (5, 9)]  # the second line is not skipped


def _scan(path: Path, block: int = 8 << 20) -> list[tuple[str, int, int, object]]:
    scanner = Scanner(ScanOptions(BUILTIN_RULES, b"k" * 32, engine="portable", block=block))
    result = scan_target(scanner, Target(str(path), str(path)))
    return [(f.rule_id, f.line, f.column, f.location.get("decoded")) for f in result.findings]


def test_escaped_keys_in_json_are_found_where_they_are_written(
    tmp_path: Path, rng: random.Random
) -> None:
    a, aws = tokens.anthropic(rng), tokens.aws_secret(rng)
    while "/" not in aws:
        aws = tokens.aws_secret(rng)
    hidden = a.replace("-", BS + "u002d")
    path = tmp_path / "settings.json"
    path.write_text(
        "{\n"
        f'  "note": "{hidden}",\n'
        f'  "aws_secret_access_key": "{aws.replace("/", BS + "/")}",\n'
        f'  "plain": "{a}"\n'
        "}\n"
    )
    found = _scan(path)
    assert ("anthropic-api-key", 2, 12, "JSON escapes") in found
    assert ("anthropic-api-key", 4, 13, None) in found  # the plain copy, found once
    assert sum(1 for f in found if f[0].startswith("aws-secret")) == 1
    assert len(found) == 3, found
    same = path.with_suffix(".txt")  # not JSON: escapes are text there
    same.write_text(path.read_text())
    assert [f[3] for f in _scan(same)] == [None]


def test_an_escaped_key_across_a_block_boundary_is_found_once(
    tmp_path: Path, rng: random.Random
) -> None:
    hidden = tokens.anthropic(rng).replace("-", BS + "u002d")
    for shift in (-70, -20, 0, 30):
        path = tmp_path / f"edge{shift}.json"
        pad = 4096 - 12 + shift
        path.write_text(json.dumps(["x" * pad])[:-2] + " " + hidden + '"]\n')
        assert [f[0] for f in _scan(path, block=4096)] == ["anthropic-api-key"], shift


def test_transcripts_place_escaped_keys_and_keys_in_json_strings(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    arguments = json.dumps({"command": f"export ANTHROPIC_API_KEY={a}", "env": {"T": g}})
    payload = {"type": "function_call", "name": "shell", "arguments": arguments}
    call = {"timestamp": "2026-03-02T10:00:00Z", "type": "response_item", "payload": payload}
    prompt = json.dumps({"type": "user", "message": {"role": "user", "content": "KEY"}})
    prompt = prompt.replace("KEY", "key " + a.replace("-", BS + "u002d"))
    rollout = tmp_path / ".codex" / "sessions" / "rollout-1.jsonl"
    rollout.parent.mkdir(parents=True)
    rollout.write_text(json.dumps(call) + "\n" + prompt + "\n")
    run = keyguard("scan", "-f", "json", str(rollout))
    assert run.code == 1, run.err
    places = [(f["line"], f["location"].get("json_pointer"),
               f["location"].get("inner_json_pointer"), f["location"].get("decoded"))
              for f in json.loads(run.out)["findings"]]  # fmt: skip
    assert places == [
        (1, "/payload/arguments", "/command", None),
        (1, "/payload/arguments", "/env/T", None),
        (2, "/message/content", None, "JSON escapes"),
    ]
    text = keyguard("scan", str(rollout))
    assert "at /payload/arguments → /command" in text.out
    for secret in (a, g):
        assert secret not in run.all + text.all


def test_escaped_keys_in_git_blobs_are_found(rng: random.Random) -> None:
    from keyguard.scan.finding import ScanResult

    scanner = Scanner(ScanOptions(BUILTIN_RULES, b"k" * 32, engine="portable"))
    blob = ('{"k": "' + tokens.anthropic(rng).replace("-", BS + "u002d") + '"}\n').encode()
    result = ScanResult()
    scan_data(scanner, blob, "config/app.json", result)  # a staged or historical blob
    assert [(f.rule_id, f.location) for f in result.findings] == [
        ("anthropic-api-key", {"decoded": "JSON escapes"})
    ]


def test_an_escaped_key_inside_json_inside_json(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    a = tokens.anthropic(rng)
    inner = '{"cmd": "export K=' + a.replace("-", BS + "u002d") + '"}'  # escaped once inside
    record = {"type": "response_item", "payload": {"type": "function_call", "arguments": inner}}
    rollout = tmp_path / "rollout.jsonl"
    rollout.write_text(json.dumps(record) + "\n")  # and escaped again around it
    assert (BS * 2 + "u002d") in rollout.read_text()
    run = keyguard("scan", "-f", "json", str(rollout))
    assert run.code == 1, run.err
    found = json.loads(run.out)["findings"]
    places = [(f["rule_id"], f["location"]["decoded"], f["location"]["json_pointer"])
              for f in found]  # fmt: skip
    assert places == [("anthropic-api-key", "JSON escapes", "/payload/arguments")]
    assert a not in run.all
