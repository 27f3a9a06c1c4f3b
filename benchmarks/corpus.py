"""Write a labelled corpus: real filler code plus planted fake keys and decoys.

    python benchmarks/corpus.py OUT_DIR [--size-mb 200] [--per-rule 20] [--seed 1]

Filler is copied from the Python source files (``*.py``) of the installed packages and the
standard library: real code nobody here wrote.  Into it go fake keys of every rule (built at
run time by ``keyguard.testing.tokens``), half inside copied source files at a random line and
half in small config files (``.env``, JSON, YAML, shell), plus decoys (placeholders, masked,
truncated and look-alike strings).  ``labels.json`` records where each plant and decoy is.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import site
import sysconfig
from pathlib import Path
from typing import Any

from keyguard.scan.rules import BUILTIN_RULES
from keyguard.testing.decoys import decoys
from keyguard.testing.tokens import PLANTS

CONFIG_SHAPES = (
    (".env", "{text}\n"),
    ("settings.yaml", "service:\n  name: api\n# credentials\n{text}\nretries: 3\n"),
    (
        "mcp.json",
        '{{\n  "mcpServers": {{\n    "tool": {{\n      "command": "npx",\n'
        '      "note": "see below"\n    }}\n  }}\n}}\n{text}\n',
    ),
    ("profile.sh", "# shell profile\nexport PATH=$HOME/bin:$PATH\n{text}\nalias ll='ls -l'\n"),
)


def source_files() -> list[Path]:
    roots = {Path(p) for p in site.getsitepackages()} | {Path(sysconfig.get_paths()["stdlib"])}
    found: list[Path] = []
    for root in sorted(roots):
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in {"__pycache__", "keyguard"})
            found.extend(Path(folder) / name for name in sorted(files) if name.endswith(".py"))
    return found


def _token_line(text: str, token: str) -> int:
    return text[: text.index(token)].count("\n")


def build(out: Path, size_mb: float, per_rule: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    filler_dir = out / "filler"
    filler_dir.mkdir(parents=True)
    budget = int(size_mb * 1e6)
    sources = source_files()
    copied: list[Path] = []
    total = 0
    round_ = 0
    while total < budget:  # repeat the installed sources when they are smaller than asked
        for index, source in enumerate(sources):
            try:
                data = source.read_bytes()
            except OSError:
                continue
            if b"\0" in data[:8000] or len(data) > 4_000_000:
                continue
            target = filler_dir / f"r{round_}" / f"{index:06d}_{source.name}"
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)
            copied.append(target)
            total += len(data)
            if total >= budget:
                break
        round_ += 1
    labels: list[dict[str, Any]] = []
    edits: dict[Path, list[tuple[int, str, int]]] = {}  # file -> (line, text, label index)

    def place(text: str, rule_id: str | None, token: str | None, kind: str) -> None:
        label: dict[str, Any] = {"rule_id": rule_id, "kind": kind}
        token_line = _token_line(text, token) if token else 0
        if rng.random() < 0.5:
            path = rng.choice(copied)
            count = path.read_bytes().count(b"\n") + 1
            edits.setdefault(path, []).append((rng.randrange(count + 1), text, len(labels)))
            label["path"] = str(path.relative_to(out))
        else:
            name, shape = rng.choice(CONFIG_SHAPES)
            path = out / "configs" / f"{len(labels):05d}" / name
            path.parent.mkdir(parents=True)
            body = shape.format(text=text)
            path.write_text(body)
            label["path"] = str(path.relative_to(out))
            label["line"] = body[: body.index(text)].count("\n") + token_line + 1
        label["token_line"] = token_line
        label["extra"] = _extra(text, rule_id)
        labels.append(label)

    for rule in BUILTIN_RULES:
        for _ in range(per_rule):
            text, token = PLANTS[rule.id](rng)
            place(text, rule.id, token, "plant")
    for round_seed in range(per_rule):
        for kind, line in decoys(random.Random(round_seed * 7919 + seed)):
            place(line, None, None, f"decoy:{kind}")
    for path, inserts in edits.items():
        lines = path.read_bytes().split(b"\n")
        inserts.sort(key=lambda edit: edit[0])
        shift = 0
        for at, text, index in inserts:
            labels[index]["line"] = at + shift + int(labels[index]["token_line"]) + 1
            shift += text.count("\n") + 1
        for at, text, _ in reversed(inserts):
            lines[at:at] = text.encode().split(b"\n")
        path.write_bytes(b"\n".join(lines))
    for label in labels:
        start = int(label["line"]) - int(label.pop("token_line"))
        label["extra"] = [
            {"rule_id": e["rule_id"], "line": start + int(e["line_offset"])} for e in label["extra"]
        ]
    meta = {"files": len(copied), "filler_bytes": total, "seed": seed, "labels": labels}
    (out / "labels.json").write_text(json.dumps(meta, indent=1))
    return meta


def _extra(text: str, rule_id: str | None) -> list[dict[str, Any]]:
    """Second findings a plant legitimately holds: the key id beside a paired AWS secret."""
    if rule_id == "aws-secret-access-key-paired":
        return [{"rule_id": "aws-access-key-id", "line_offset": _token_line(text, "AKIA")}]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--size-mb", type=float, default=200)
    parser.add_argument("--per-rule", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    meta = build(args.out, args.size_mb, args.per_rule, args.seed)
    print(
        f"{args.out}: {meta['files']} filler files, {meta['filler_bytes'] / 1e6:.1f} MB, "
        f"{len(meta['labels'])} labels"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
