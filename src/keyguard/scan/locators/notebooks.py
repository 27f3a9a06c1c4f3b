"""Jupyter notebooks (``.ipynb``): the cell, and the output of it, that holds a key.

A notebook is one JSON document: ``cells``, each with ``source`` (lines of code or Markdown)
and, for code cells, ``outputs`` (``stream`` text on stdout/stderr, ``execute_result`` and
``display_data`` by MIME type, ``error`` tracebacks).  Keys land in a cell's source when
pasted, and in its outputs when the code printed them (``print(os.environ)``): both are
named, as "notebook cell 3 (code), output 1 (stdout)".
"""

from __future__ import annotations

import json
from collections.abc import MutableSequence

from keyguard.scan.finding import Finding
from keyguard.scan.locators import Opener
from keyguard.scan.locators import owner
from keyguard.scan.locators import read_whole
from keyguard.scan.locators import tolerant

LIMIT = 64 << 20  # a larger notebook keeps line and column only


class Notebook:
    source = "Jupyter notebook"

    def __init__(self, path: str = "") -> None:
        self.path = path

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        data = read_whole(open_, LIMIT)
        if data is None:
            return
        try:
            notebook = json.loads(data)
        except (ValueError, RecursionError):
            return  # not JSON after all: line and column say where
        for i, f in enumerate(findings):
            place: dict[str, object] = dict(
                owner(notebook, data, data[f.start_offset : f.end_offset], f.start_offset)
            )
            place.update(tolerant(_describe, notebook, str(place.get("json_pointer", ""))))
            findings[i] = f._replace(location={**f.location, **place})


def _describe(notebook: dict[str, object], pointer: str) -> dict[str, object]:
    parts = pointer.split("/")[1:]
    if len(parts) < 3 or parts[0] != "cells":
        return {"where": f"notebook {parts[0]}" if parts else "notebook"}
    index = int(parts[1])
    cell = notebook["cells"][index]  # type: ignore[index]
    said = f"notebook cell {index + 1} ({cell.get('cell_type', 'cell')})"
    found: dict[str, object] = {"cell_index": index}
    if parts[2] == "outputs" and len(parts) > 3:
        number = int(parts[3])
        output = cell["outputs"][number]
        kind = output.get("name") if output.get("output_type") == "stream" else None
        said += f", output {number + 1} ({kind or output.get('output_type', 'output')})"
        found["output_index"] = number
    elif parts[2] == "source":
        said += ", its source"
    else:
        said += f", its {parts[2]}"
    return {**found, "where": said}
