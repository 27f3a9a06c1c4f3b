from __future__ import annotations

from keyguard.cli import main

raise SystemExit(main())
