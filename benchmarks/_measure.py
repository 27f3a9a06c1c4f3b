"""Run one command; print its wall time and the peak RSS of it and its children, as JSON."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

started = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(
    json.dumps(
        {
            "seconds": seconds,
            "max_rss_mb": usage.ru_maxrss / 1024,
            "code": proc.returncode,
            "stderr": proc.stderr.decode(errors="replace")[-400:],
        }
    )
)
