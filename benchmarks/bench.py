"""Scanner benchmark: precision, recall, throughput and memory, against baselines in one run.

    python benchmarks/bench.py [--size-mb 200] [--small-mb 20] [--repeat 3] [--out DIR]

Builds (or reuses) two labelled corpora with ``corpus.py``: the large one for keyguard, the
read floor, kingfisher and betterleaks; a small one on which keyguard is measured again beside
detect-secrets (too slow for the large one).  Every tool runs as its own process through
``_measure.py`` (wall time, peak RSS of the process tree); the median of ``--repeat`` runs is
reported.  Throughput is the corpus size over wall time, start-up included, so ratios compare
like with like.  Prints a Markdown report for docs/performance.md.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def _tool(name: str) -> str | None:
    return shutil.which(name, path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def _size(folder: Path) -> int:
    return sum(
        p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.name != "labels.json"
    )


def _measure(cmd: list[str], repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, str(HERE / "_measure.py"), *cmd],
            capture_output=True,
            text=True,
            check=True,
            cwd=tempfile.gettempdir(),
        )
        runs.append(json.loads(out.stdout))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "max_rss_mb": max(r["max_rss_mb"] for r in runs),
        "codes": sorted({r["code"] for r in runs}),
        "stderr": runs[-1]["stderr"],
    }


def _corpus(path: Path, size_mb: float, per_rule: int) -> Path:
    labels = path / "labels.json"
    if labels.exists():
        meta = json.loads(labels.read_text())
        if abs(meta["filler_bytes"] / 1e6 - size_mb) < 1 and meta.get("per_rule") == per_rule:
            return path
    subprocess.run(
        [
            sys.executable,
            str(HERE / "corpus.py"),
            str(path),
            "--size-mb",
            str(size_mb),
            "--per-rule",
            str(per_rule),
        ],
        check=True,
    )
    meta = json.loads(labels.read_text())
    meta["per_rule"] = per_rule
    labels.write_text(json.dumps(meta))
    return path


def keyguard_cmd(corpus: Path, engine: str, output: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "keyguard",
        "scan",
        "--all-files",
        "--no-progress",
        "--engine",
        engine,
        "--format",
        "json",
        "--output",
        str(output),
        str(corpus),
    ]


def score(corpus: Path, report: Path) -> dict[str, Any]:
    meta = json.loads((corpus / "labels.json").read_text())
    findings = json.loads(report.read_text())["findings"]
    prefix = str(corpus) + os.sep
    got = {(f["path"].removeprefix(prefix), f["line"], f["rule_id"]) for f in findings}
    expected: dict[tuple[str, int, str], str] = {}
    decoy_lines = set()
    for label in meta["labels"]:
        if label["kind"] == "plant":
            expected[(label["path"], label["line"], label["rule_id"])] = label["rule_id"]
            for extra in label["extra"]:
                expected[(label["path"], extra["line"], extra["rule_id"])] = extra["rule_id"]
        else:
            decoy_lines.add((label["path"], label["line"]))
    per_rule: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for key, rule_id in expected.items():
        per_rule[rule_id][1] += 1
        per_rule[rule_id][0] += key in got
    decoy_hits = [g for g in got if (g[0], g[1]) in decoy_lines]
    filler = sorted(g for g in got if g not in expected and (g[0], g[1]) not in decoy_lines)
    return {
        "recall": dict(per_rule),
        "planted": len(expected),
        "found": sum(v[0] for v in per_rule.values()),
        "decoy_hits": decoy_hits,
        "filler_findings": filler,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=200)
    parser.add_argument("--small-mb", type=float, default=20)
    parser.add_argument("--per-rule", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(tempfile.gettempdir()) / "keyguard-bench",
        help="where corpora and reports go (outside any git repository: "
        "detect-secrets skips files git ignores)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    large = _corpus(args.out / "corpus-large", args.size_mb, args.per_rule)
    small = _corpus(args.out / "corpus-small", args.small_mb, 2)
    results: dict[str, Any] = {"sizes": {"large": _size(large), "small": _size(small)}, "rows": []}

    def row(name: str, corpus: str, cmd: list[str] | None) -> None:
        if cmd is None or cmd[0] is None:
            results["rows"].append({"tool": name, "corpus": corpus, "missing": True})
            return
        measured = _measure(cmd, args.repeat)
        measured.update(
            tool=name, corpus=corpus, mb_s=results["sizes"][corpus] / 1e6 / measured["seconds"]
        )
        results["rows"].append(measured)
        print(
            f"  {name} on {corpus}: {measured['seconds']:.2f} s, "
            f"{measured['mb_s']:.0f} MB/s, {measured['max_rss_mb']:.0f} MB",
            file=sys.stderr,
        )

    report = args.out / "keyguard-large.json"
    for corpus_name, corpus in (("large", large), ("small", small)):
        row("read floor", corpus_name, [sys.executable, str(HERE / "floor.py"), str(corpus)])
        for engine in ("portable", "hyperscan"):
            out = report if corpus_name == "large" else args.out / f"keyguard-{corpus_name}.json"
            row(f"keyguard ({engine})", corpus_name, keyguard_cmd(corpus, engine, out))
    kingfisher, betterleaks, detect = (
        _tool("kingfisher"),
        _tool("betterleaks"),
        _tool("detect-secrets"),
    )
    row(
        "kingfisher --no-validate",
        "large",
        [kingfisher, "scan", str(large), "--no-validate", "--git-history", "none", "-r"]
        if kingfisher
        else None,
    )
    row(
        "betterleaks",
        "large",
        [betterleaks, "fs", str(large), "--no-banner", "-s", "--redact", "--exit-code", "0"]
        if betterleaks
        else None,
    )
    row("detect-secrets", "small", [detect, "scan", "--all-files", str(small)] if detect else None)
    results["score"] = score(large, report)
    subprocess.run(
        keyguard_cmd(large, "hyperscan", args.out / "keyguard-large-hs.json"), check=False
    )
    hs = json.loads((args.out / "keyguard-large-hs.json").read_text())["findings"]
    pure = json.loads(report.read_text())["findings"]
    results["engines_identical"] = hs == pure
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    print(markdown(results))
    return 0


def markdown(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    floor = {r["corpus"]: r for r in results["rows"] if r["tool"] == "read floor"}
    lines = [
        f"Corpora: large {sizes['large'] / 1e6:.0f} MB, small {sizes['small'] / 1e6:.0f} MB.",
        "",
        "| tool | corpus | wall s | MB/s | × read floor | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for r in results["rows"]:
        if r.get("missing"):
            lines.append(f"| {r['tool']} | {r['corpus']} | not installed | | | |")
            continue
        ratio = r["seconds"] / floor[r["corpus"]]["seconds"]
        lines.append(
            f"| {r['tool']} | {r['corpus']} | {r['seconds']:.2f} | {r['mb_s']:.0f} | "
            f"{ratio:.2f} | {r['max_rss_mb']:.0f} |"
        )
    s = results["score"]
    lines += [
        "",
        f"Recall: {s['found']}/{s['planted']} planted keys. Decoy hits: "
        f"{len(s['decoy_hits'])}. Findings in the filler: {len(s['filler_findings'])}. "
        f"Engines identical: {results['engines_identical']}.",
        "",
        "| rule | found / planted |",
        "|---|---|",
    ]
    lines += [f"| `{rule}` | {v[0]}/{v[1]} |" for rule, v in sorted(s["recall"].items())]
    for path, line, rule in s["filler_findings"] + s["decoy_hits"]:
        lines.append(f"- {rule} at {path}:{line}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
