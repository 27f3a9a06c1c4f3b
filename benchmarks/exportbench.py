"""Chat-export benchmark: `keyguard scan` of a generated Claude.ai `conversations.json`.

    python benchmarks/exportbench.py [--mb 100]

Builds an export of ``--mb`` megabytes (conversations of 20–60 messages with text, content
blocks and attachments, one real-shaped key per ~200 conversations), then measures, each in a
fresh process with its peak RSS: a plain ``json.load`` of the file (the reference point) and
``keyguard scan -f json`` (the byte scan plus the streaming second pass that names each
finding's conversation and message).
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


def build(path: Path, megabytes: int) -> int:
    rng = random.Random(4)
    planted = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        n = 0
        while out.tell() < megabytes * 1_000_000:
            messages = []
            for m in range(rng.randint(20, 60)):
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 120)))
                if rng.random() < 1 / 800:
                    text += " " + tokens.anthropic(rng)
                    planted += 1
                messages.append({"uuid": f"{n}-{m}", "sender": ("human", "assistant")[m % 2],
                                 "created_at": "2026-03-02T09:00:00Z", "text": text,
                                 "content": [{"type": "text", "text": text}],
                                 "attachments": []})  # fmt: skip
            conversation = {"uuid": str(n), "name": f"chat {n}", "chat_messages": messages}
            out.write(("," if n else "") + json.dumps(conversation))
            n += 1
        out.write("]")
    return planted * 2  # each text sits in `text` and in `content`


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
    parser.add_argument("--no-load", action="store_true", help="skip json.load (for 1 GB)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "conversations.json"
        planted = build(path, args.mb)
        size = path.stat().st_size / 1e6
        load = [sys.executable, "-c", "import json,sys; json.load(open(sys.argv[1]))", str(path)]
        scan = [sys.executable, "-m", "keyguard", "scan", "-f", "json", "--no-progress", str(path)]
        env_note = os.cpu_count()
        t_load, rss_load, _ = (0.0, 0.0, "") if args.no_load else measure(load)
        t_scan, rss_scan, out = measure(scan)
        found = json.loads(out)["findings"]
        placed = sum(1 for f in found if "where" in f["location"])
        print(f"export {size:.0f} MB, {planted} planted keys, {env_note} cpus")
        if t_load:
            print(f"json.load       {size / t_load:7.1f} MB/s  peak RSS {rss_load:6.0f} MB")
        print(f"keyguard scan   {size / t_scan:7.1f} MB/s  peak RSS {rss_scan:6.0f} MB  "
              f"({len(found)} findings, {placed} with conversation and message)")  # fmt: skip


if __name__ == "__main__":
    main()
