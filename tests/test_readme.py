from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_readme_opens_with_install_and_test_commands_that_ci_runs() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", (REPO / "README.md").read_text(), re.S)
    install, test = blocks[0], blocks[1]
    assert install.endswith("keyguard scan .")
    assert test.endswith(".venv/bin/python -m pytest")
    ci = (REPO / ".ci" / "run").read_text()
    assert ".venv/bin/pip install -q -e '.[dev]'" in ci
    assert ci.rstrip().endswith(".venv/bin/python -m pytest")
