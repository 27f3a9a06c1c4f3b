"""Jupyter notebooks: a key is named by its cell, and by the output that printed it."""

from __future__ import annotations

import json
import random
from pathlib import Path

from keyguard.formats.kinds import kind_of
from keyguard.testing import tokens


def _notebook(pasted: str, printed: str, escaped: str) -> dict[str, object]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3"}},
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Setup\n", "Keys load below."]},
            {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
             "source": ["import os\n", f'os.environ["ANTHROPIC_API_KEY"] = "{pasted}"\n']},
            {"cell_type": "code", "execution_count": 2, "metadata": {},
             "source": ["print(os.environ)\n"],
             "outputs": [
                 {"output_type": "stream", "name": "stderr", "text": ["warming up\n"]},
                 {"output_type": "stream", "name": "stdout", "text": [f"GITHUB_TOKEN={printed}\n"]},
                 {"output_type": "execute_result", "execution_count": 2, "metadata": {},
                  "data": {"text/plain": [f"'{escaped}'"]}},
             ]},
        ],
    }  # fmt: skip


def test_notebook_cells_and_outputs_are_named(keyguard, tmp_path: Path, rng: random.Random) -> None:
    pasted, printed = tokens.anthropic(rng), tokens.github_classic(rng)
    escaped = tokens.openai_project(rng)
    path = tmp_path / "analysis.ipynb"
    text = json.dumps(_notebook(pasted, printed, escaped), indent=1)
    # The result's text was written by a serialiser that escapes '-' (JSON allows it).
    path.write_text(text.replace(escaped, escaped.replace("-", "\\u002d")))
    run = keyguard("scan", "--format", "json", str(path))
    assert run.code == 1, run.err
    found = sorted(json.loads(run.out)["findings"], key=lambda f: f["line"])
    assert [f["location"]["where"] for f in found] == [
        "notebook cell 2 (code), its source",
        "notebook cell 3 (code), output 2 (stdout)",
        "notebook cell 3 (code), output 3 (execute_result)",
    ]
    assert [f["location"]["json_pointer"] for f in found] == [
        "/cells/1/source/1",
        "/cells/2/outputs/1/text/0",
        "/cells/2/outputs/2/data/text~1plain/0",
    ]
    assert [(f["location"]["cell_index"], f["location"].get("output_index")) for f in found] == [
        (1, None),
        (2, 1),
        (2, 2),
    ]
    assert found[2]["location"]["decoded"] == "JSON escapes"
    shown = keyguard("scan", str(path))
    assert "in notebook cell 3 (code), output 2 (stdout)" in shown.out
    for token in (pasted, printed, escaped):
        assert token not in run.out + shown.out
    assert "keyguard migrate" not in shown.out  # a notebook is rotated, not migrated


def test_a_notebook_that_is_not_json_keeps_line_and_column(
    keyguard, tmp_path: Path, rng: random.Random
) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [{"source": ["' + tokens.anthropic(rng) + '"\n')
    run = keyguard("scan", "--format", "json", str(path))
    assert run.code == 1, run.err
    (finding,) = json.loads(run.out)["findings"]
    assert (finding["line"], "where" not in finding["location"]) == (1, True)


def test_the_notebook_kind_is_one_row() -> None:
    kind = kind_of("work/analysis.IPYNB")
    assert (kind.name, kind.escapes, kind.rewriter, kind.suggest_migrate) == (
        "jupyter-notebook", True, None, False,
    )  # fmt: skip
