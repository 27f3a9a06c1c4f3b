"""Progress on a terminal's stderr for long scans; silent for short ones and for pipes."""

from __future__ import annotations

import time
from typing import TextIO

DELAY = 0.5  # seconds before the first update: short scans show nothing
INTERVAL = 0.1


class Progress:
    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = total
        self._stream = stream
        self._started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def __call__(self, files: int, size: int) -> None:
        now = time.monotonic()
        if now - self._started < DELAY or now - self._last < INTERVAL:
            return
        self._last = now
        self._shown = True
        rate = size / 1e6 / max(now - self._started, 1e-9)
        self._stream.write(
            f"\rscanning: {files}/{self.total or '?'} files, {size / 1e6:.1f} MB "
            f"({rate:.0f} MB/s)\033[K"
        )
        self._stream.flush()

    def close(self) -> None:
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
