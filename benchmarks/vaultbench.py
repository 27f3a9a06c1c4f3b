"""Vault benchmarks: `keyguard env` at shell start, `keyguard run` overhead, masking speed.

    python benchmarks/vaultbench.py [--runs 21] [--mb 200]

``keyguard env`` for 3 keys is timed against the same interpreter's bare start
(``python -c pass``) with the file backend in machine-key mode and with a real Secret Service
(gnome-keyring-daemon started here under dbus-run-session).  ``keyguard run -- true`` is timed
against ``true``.  Masking throughput: ``keyguard run -- cat FILE`` against ``cat FILE`` on a
file of ``--mb`` megabytes of ordinary text, both writing to /dev/null.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from keyguard.testing import secret_service

BIN = Path(sys.executable).parent
KEYGUARD = str(BIN / "keyguard")
NAMES = ("anthropic/default", "openai/default", "groq/default")


def _median(cmd: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _store(env: dict[str, str]) -> None:
    for i, name in enumerate(NAMES):
        value = f"bench-{name}-" + "x7Q" * 20 + str(i)
        subprocess.run(
            [KEYGUARD, "set", name, "--replace"],
            input=value,
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--mb", type=int, default=200)
    args = parser.parse_args(argv)
    import keyguard

    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(Path(keyguard.__file__).parent)], check=True
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base_env = {**os.environ, "KEYGUARD_DATA_DIR": str(work / "kg")}
        base_env.pop("KEYGUARD_PASSPHRASE", None)
        bare = _median([sys.executable, "-c", "pass"], base_env, args.runs)
        rows.append(("python -c pass", bare, 1.0))
        file_env = {**base_env, "KEYGUARD_BACKEND": "file"}
        _store(file_env)
        env_file = _median([KEYGUARD, "env", "--shell", "sh"], file_env, args.runs)
        rows.append(("keyguard env, 3 keys, file backend (machine key)", env_file, env_file / bare))
        proc, ss_env = secret_service.start(work / "ss")
        try:
            system_env = {
                **base_env,
                **ss_env,
                "HOME": str(work / "ss"),
                "KEYGUARD_DATA_DIR": str(work / "kg-system"),
                "KEYGUARD_BACKEND": "system",
            }
            _store(system_env)
            env_system = _median([KEYGUARD, "env", "--shell", "sh"], system_env, args.runs)
            rows.append(("keyguard env, 3 keys, Secret Service", env_system, env_system / bare))
        finally:
            secret_service.stop(proc)
        true = _median(["true"], file_env, args.runs)
        wrapped = _median(
            [KEYGUARD, "run", "--secret", "ANTHROPIC_API_KEY=anthropic/default", "--", "true"],
            file_env,
            args.runs,
        )
        rows.append(("true", true, true / bare))
        rows.append(("keyguard run --secret … -- true", wrapped, wrapped / bare))
        big = work / "big.txt"
        line = b"2026-03-01 12:00:00 INFO request handled in 12 ms, user=42 path=/api/v1/items\n"
        with big.open("wb") as stream:
            for _ in range(args.mb * 1_000_000 // len(line)):
                stream.write(line)
        size = big.stat().st_size
        cat = _median(["cat", str(big)], file_env, 3)
        masked = _median(
            [
                KEYGUARD,
                "run",
                "--secret",
                "ANTHROPIC_API_KEY=anthropic/default",
                "--",
                "cat",
                str(big),
            ],
            file_env,
            3,
        )
    print("| command | median ms | × python -c pass |")
    print("|---|---|---|")
    for name, seconds, ratio in rows:
        print(f"| {name} | {seconds * 1e3:.0f} | {ratio:.1f} |")
    print(
        f"\nMasking: `keyguard run -- cat` {size / 1e6 / masked:.0f} MB/s "
        f"({masked:.2f} s for {size / 1e6:.0f} MB); plain `cat` {size / 1e6 / cat:.0f} MB/s."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
