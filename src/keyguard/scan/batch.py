"""Many inputs: one after another, or spread over worker processes when the work is large."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from collections.abc import Sequence

from keyguard.scan.finding import ScanResult
from keyguard.scan.pipeline import scan_target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.scanner import Scanner
    from keyguard.scan.sources import Target

Progress = Callable[[int, int], None]  # (files done, bytes done)
PARALLEL_BYTES = 16 << 20  # below this, starting workers costs more than it saves
SAMPLE = 64  # files whose size is read to estimate the total


def scan_targets(
    scanner: Scanner, targets: Sequence[Target], progress: Progress | None = None
) -> ScanResult:
    started = time.perf_counter()
    total = ScanResult()
    jobs = _jobs(scanner.options.jobs, targets)
    if jobs <= 1:
        for i, target in enumerate(targets):
            scan_target(scanner, target, total)
            if progress is not None:
                progress(i + 1, total.stats.bytes)
    else:
        from keyguard.scan.parallel import scan_parallel  # multiprocessing: large scans only

        for done, part in scan_parallel(scanner.options, targets, jobs):
            _merge(total, part)
            if progress is not None:
                progress(done, total.stats.bytes)
        order = {t.display: i for i, t in enumerate(targets)}
        total.findings.sort(key=lambda f: (order.get(f.path, -1), f.start_offset))
        total.errors.sort(key=lambda e: order.get(e.path, -1))
    total.stats.seconds = time.perf_counter() - started
    return total


def _jobs(jobs: int, targets: Sequence[Target]) -> int:
    if jobs:
        return jobs
    if len(targets) < 64 or any(t.path is None for t in targets):
        return 1
    # Estimate the total from a sample of sizes rather than stat every file up front.
    step = max(1, len(targets) // SAMPLE)
    sampled = []
    for target in targets[::step]:
        try:
            size = target.size if target.size >= 0 else os.stat(target.path).st_size  # type: ignore[arg-type]
            sampled.append(size)
        except OSError:
            continue
    estimate = sum(sampled) / max(len(sampled), 1) * len(targets)
    return min(os.cpu_count() or 1, 8) if estimate >= PARALLEL_BYTES else 1


def _merge(total: ScanResult, part: ScanResult) -> None:
    total.findings.extend(part.findings)
    total.errors.extend(part.errors)
    total.stats.add(part.stats)
