"""Chat-export benchmark: `keyguard scan` of a generated Claude.ai or ChatGPT `conversations.json`.

    python benchmarks/exportbench.py [--mb 100] [--shape claude|chatgpt]

Builds an export of ``--mb`` megabytes in the chosen shape (conversations of 20–60 messages;
Claude.ai: text, content blocks and attachments; ChatGPT: a ``mapping`` tree of nodes; a
real-shaped key in about one message in 800), then measures, each in a fresh process with its
peak RSS: a plain ``json.load`` of the file (the reference point) and ``keyguard scan -f json``
(the byte scan plus the streaming second pass that names each finding's conversation and
message).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from keyguard.testing import tokens  # noqa: E402

WORDS = ["the", "webhook", "fails", "with", "a", "signature", "error", "when", "the",
         "payload", "is", "retried", "after"]  # fmt: skip


def build(path: Path, megabytes: int, shape: str = "claude") -> int:
    rng = random.Random(4)
    planted = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        n = 0
        while out.tell() < megabytes * 1_000_000:
            texts = []
            for _ in range(rng.randint(20, 60)):
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120)))
                if rng.random() < 1 / 800:
                    text += " " + tokens.anthropic(rng)
                    planted += 1
                texts.append(text)
            conversation = (_claude if shape == "claude" else _chatgpt)(n, texts)
            out.write(("," if n else "") + json.dumps(conversation))
            n += 1
        out.write("]")
    return planted * 2 if shape == "claude" else planted  # Claude: in `text` and `content`


def _claude(n: int, texts: list[str]) -> dict[str, object]:
    messages = [{"uuid": f"{n}-{m}", "sender": ("human", "assistant")[m % 2],
                 "created_at": "2026-03-02T09:00:00Z", "text": text,
                 "content": [{"type": "text", "text": text}], "attachments": []}
                for m, text in enumerate(texts)]  # fmt: skip
    return {"uuid": str(n), "name": f"chat {n}", "chat_messages": messages}


def _chatgpt(n: int, texts: list[str]) -> dict[str, object]:
    mapping: dict[str, object] = {"root": {"id": "root", "parent": None, "children": ["m0"],
                                           "message": None}}  # fmt: skip
    for m, text in enumerate(texts):
        mapping[f"m{m}"] = {
            "id": f"m{m}", "parent": "root" if m == 0 else f"m{m - 1}",
            "children": [f"m{m + 1}"] if m + 1 < len(texts) else [],
            "message": {"id": f"{n}-{m}", "author": {"role": ("user", "assistant")[m % 2]},
                        "create_time": 1772442000.0 + m,
                        "content": {"content_type": "text", "parts": [text]}},
        }  # fmt: skip
    return {"id": str(n), "title": f"chat {n}", "create_time": 1772442000.0,
            "current_node": f"m{len(texts) - 1}", "mapping": mapping}  # fmt: skip


def measure(argv: list[str]) -> tuple[float, float, str]:
    script = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "t = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(t, rss); sys.stderr.write(p.stdout)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True)
    seconds, rss = proc.stdout.split()
    return float(seconds), float(rss), proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--shape", choices=("claude", "chatgpt"), default="claude")
    parser.add_argument("--no-load", action="store_true", help="skip json.load (for 1 GB)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "conversations.json"
        planted = build(path, args.mb, args.shape)
        size = path.stat().st_size / 1e6
        load = [sys.executable, "-c", "import json,sys; json.load(open(sys.argv[1]))", str(path)]
        scan = [sys.executable, "-m", "keyguard", "scan", "-f", "json", "--no-progress", str(path)]
        env_note = os.cpu_count()
        t_load, rss_load, _ = (0.0, 0.0, "") if args.no_load else measure(load)
        t_scan, rss_scan, out = measure(scan)
        found = json.loads(out)["findings"]
        placed = sum(1 for f in found if "where" in f["location"])
        print(f"{args.shape} export {size:.0f} MB, {planted} planted keys, {env_note} cpus")
        if t_load:
            print(f"json.load       {size / t_load:7.1f} MB/s  peak RSS {rss_load:6.0f} MB")
        print(f"keyguard scan   {size / t_scan:7.1f} MB/s  peak RSS {rss_scan:6.0f} MB  "
              f"({len(found)} findings, {placed} with conversation and message)")  # fmt: skip


if __name__ == "__main__":
    main()
