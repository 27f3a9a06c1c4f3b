"""Git-side benchmarks: pre-commit hook latency and history-scan throughput.

    python benchmarks/gitbench.py [--runs 21] [--commits 1200]

Hook latency: a repository with 20 staged files of ordinary source (the first 20 top-level
modules of the standard library), timed as the pre-commit framework runs the hook
(``PRE_COMMIT=1 keyguard hook pre-commit FILE…``), as the standalone git hook runs it (no
file names: the index is read through git), as ``detect-secrets-hook FILE…``, and against
the same interpreter's bare start (``python -c pass``).  Median of ``--runs``.

History: a repository of ``--commits`` commits built with ``git fast-import`` from the
installed packages' sources (each commit adds or rewrites a few files), scanned with
``keyguard scan --history``; MB of blob content per second against ``git log -p --all``
written to /dev/null, the floor of reading the same history.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "b",
    "GIT_AUTHOR_EMAIL": "b@example.invalid",
    "GIT_COMMITTER_NAME": "b",
    "GIT_COMMITTER_EMAIL": "b@example.invalid",
}


def _median(cmd: list[str], cwd: Path, runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def hook_latency(work: Path, runs: int) -> dict[str, float]:
    repo = work / "hook-repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, env=ENV, check=True)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    sources = sorted(p for p in stdlib.glob("*.py"))[:20]
    for source in sources:
        shutil.copy(source, repo / source.name)
    subprocess.run(["git", "add", "-A"], cwd=repo, env=ENV, check=True)
    names = [p.name for p in sources]
    framework = {**ENV, "PRE_COMMIT": "1"}
    result = {
        "files": len(names),
        "bytes": sum(p.stat().st_size for p in sources),
        "python -c pass": _median([sys.executable, "-c", "pass"], repo, runs),
        "keyguard (pre-commit framework)": _median(
            [str(BIN / "keyguard"), "hook", "pre-commit", *names], repo, runs, framework
        ),
        "keyguard (standalone hook, git index)": _median(
            [str(BIN / "keyguard"), "hook", "pre-commit"], repo, runs
        ),
        "detect-secrets-hook": _median([str(BIN / "detect-secrets-hook"), *names], repo, runs),
    }
    return result


def build_history(work: Path, commits: int) -> Path:
    repo = work / "history-repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, env=ENV, check=True)
    site = Path(sysconfig.get_paths()["purelib"])
    sources = sorted(p for p in site.rglob("*.py") if "keyguard" not in p.parts)
    stream = []
    index = 0
    for n in range(commits):
        stream.append(
            f"commit refs/heads/main\ncommitter b <b@example.invalid> {1700000000 + n} +0000\n"
            f"data 6\nc{n:04d}\n"
        )
        if n == 0:
            stream.append("")
        for k in range(3):
            source = sources[index % len(sources)]
            index += 1
            data = source.read_bytes()
            stream.append(f"M 644 inline pkg{(n * 3 + k) % 400}/{source.name}\ndata {len(data)}\n")
            stream.append(data.decode("latin-1") + "\n")
    payload = "".join(stream).encode("latin-1")
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, env=ENV, input=payload, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo, env=ENV, check=True)
    return repo


def history_throughput(repo: Path, runs: int) -> dict[str, float]:
    count = subprocess.run(
        ["git", "rev-list", "--count", "--all"],
        cwd=repo,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    report = repo.parent / "history.json"
    cmd = [
        str(BIN / "keyguard"),
        "scan",
        "--history",
        "--no-progress",
        "--format",
        "json",
        "--output",
        str(report),
    ]
    subprocess.run(cmd, cwd=repo, env=ENV)
    stats = json.loads(report.read_text())["stats"]
    keyguard = _median(cmd, repo, runs)
    floor = _median(["git", "log", "-p", "--all"], repo, runs)
    return {
        "commits": int(count),
        "blob_bytes": stats["bytes"],
        "keyguard_s": keyguard,
        "git_log_p_s": floor,
        "keyguard_mb_s": stats["bytes"] / 1e6 / keyguard,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--commits", type=int, default=1200)
    args = parser.parse_args(argv)
    # Users run from byte-compiled modules; this machine may set PYTHONDONTWRITEBYTECODE.
    import keyguard

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(keyguard.__file__).parent)], check=True
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        hook = hook_latency(work, args.runs)
        history = history_throughput(build_history(work, args.commits), max(3, args.runs // 7))
    base = hook["python -c pass"]
    print(
        f"Hook latency, {hook['files']} staged files ({hook['bytes'] / 1e3:.0f} kB), "
        f"median of {args.runs} runs:\n"
    )
    print("| command | median ms | × python -c pass | × detect-secrets-hook |")
    print("|---|---|---|---|")
    for name in (
        "python -c pass",
        "keyguard (pre-commit framework)",
        "keyguard (standalone hook, git index)",
        "detect-secrets-hook",
    ):
        value = hook[name]
        print(
            f"| {name} | {value * 1e3:.0f} | {value / base:.1f} | "
            f"{value / hook['detect-secrets-hook']:.2f} |"
        )
    print(
        f"\nHistory: {history['commits']} commits, {history['blob_bytes'] / 1e6:.0f} MB of "
        f"distinct blobs: keyguard {history['keyguard_s']:.2f} s "
        f"({history['keyguard_mb_s']:.0f} MB/s); `git log -p --all` {history['git_log_p_s']:.2f} s "
        f"({history['keyguard_s'] / history['git_log_p_s']:.2f}× the floor)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
