"""The read floor: open and read every file under a folder, as plainly as Python can."""

from __future__ import annotations

import os
import sys

total = 0
for folder, _dirs, files in os.walk(sys.argv[1]):
    for name in files:
        fd = os.open(os.path.join(folder, name), os.O_RDONLY)
        try:
            total += len(os.read(fd, 1 << 30))
        finally:
            os.close(fd)
print(total)
