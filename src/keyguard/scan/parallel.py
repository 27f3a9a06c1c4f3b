"""Spread a large scan over worker processes (two cores are the common case)."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import as_completed

from keyguard.scan.finding import ScanResult
from keyguard.scan.options import ScanOptions
from keyguard.scan.pipeline import scan_target
from keyguard.scan.scanner import Scanner
from keyguard.scan.sources import Target

BATCH_BYTES = 2 << 20
BATCH_FILES = 200

# Each worker process builds its scanner once, in the pool initializer.  This is per-process
# state of a worker, never of the parent, and dies with the pool.
_worker: Scanner | None = None


def _init(options: ScanOptions) -> None:
    global _worker
    _worker = Scanner(options)


def _scan_batch(batch: Sequence[Target]) -> tuple[int, ScanResult]:
    assert _worker is not None
    total = ScanResult()
    for target in batch:
        scan_target(_worker, target, total)
    return len(batch), total


def batches(targets: Sequence[Target]) -> Iterator[list[Target]]:
    batch: list[Target] = []
    size = 0
    for target in targets:
        batch.append(target)
        size += max(target.size, 0)
        if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def scan_parallel(
    options: ScanOptions, targets: Sequence[Target], jobs: int
) -> Iterator[tuple[int, ScanResult]]:
    """Yield (files done so far, partial result) as batches finish."""
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    done = 0
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init, initargs=(options,)
    ) as pool:
        futures = [pool.submit(_scan_batch, batch) for batch in batches(targets)]
        for future in as_completed(futures):
            count, result = future.result()
            done += count
            yield done, result
