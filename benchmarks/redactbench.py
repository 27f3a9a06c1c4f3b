"""Redaction benchmarks: the cost of a log call, and `keyguard redact` throughput.

    python benchmarks/redactbench.py [--calls 50000] [--mb 100]

A ``logger.info("…%s…", arg)`` call to a stream handler, with ``keyguard.redact.install()``
holding 100 known values against the same call without redaction (same process, interleaved
rounds, best of 5).  Then ``keyguard redact`` over a log of ``--mb`` megabytes with 1,000 known
values (given as environment variables) against ``cat`` of the same file.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import keyguard.redact


def _value(rng: random.Random) -> str:
    return "tok_" + "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(36))


def log_cost(calls: int) -> tuple[float, float]:
    logger = logging.getLogger("bench")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
    rng = random.Random(1)
    values = {f"svc/{i}": _value(rng) for i in range(100)}

    def run() -> float:
        handler.stream = io.StringIO()
        started = time.perf_counter()
        for i in range(calls):
            logger.info("request %s handled for user=%s in %d ms", "/api/v1/items", "alice", i)
        return (time.perf_counter() - started) / calls

    plain, redacted = [], []
    for _ in range(5):
        plain.append(run())
        keyguard.redact.install(values, environment=False)
        redacted.append(run())
        keyguard.redact.uninstall()
    return min(plain), min(redacted)


def cli_throughput(mb: int) -> tuple[float, float, int]:
    rng = random.Random(2)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    values = [_value(rng) for _ in range(1000)]
    env.update({f"BENCH_TOKEN_{i:04d}": v for i, v in enumerate(values)})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "app.log"
        line = "2026-03-01T12:00:00Z INFO request /api/v1/items handled for user=alice in 12 ms\n"
        with path.open("w") as stream:
            for i in range(mb * 1_000_000 // len(line)):
                stream.write(line if i % 5000 else line.replace("alice", values[i % 1000]))
        size = path.stat().st_size
        started = time.perf_counter()
        subprocess.run(["cat", str(path)], stdout=subprocess.DEVNULL, check=True)
        cat = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "keyguard", "redact", str(path)],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        redact = time.perf_counter() - started
    return cat, redact, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=50_000)
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args(argv)
    plain, redacted = log_cost(args.calls)
    print(
        f"logger.info to a stream handler: {plain * 1e6:.1f} µs plain, {redacted * 1e6:.1f} µs "
        f"with 100 known values installed: {redacted / plain:.2f}×"
    )
    cat, redact, size = cli_throughput(args.mb)
    print(
        f"keyguard redact, 1,000 known values: {size / 1e6 / redact:.0f} MB/s "
        f"({redact:.2f} s for {size / 1e6:.0f} MB); cat: {size / 1e6 / cat:.0f} MB/s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
