"""A plug-in distribution for the tests: a real (unpacked) one on PYTHONPATH, with its
``.dist-info`` ``entry_points.txt``, and the real ``keyguard`` command run beside it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PLUGIN = '''
from keyguard.scan.rules import Rule

RULES = [Rule(id="demo-token", provider="demo", description="Demo service token",
              pattern=r"demo_[a-z0-9]{32}", keywords=("demo_",), confidence="high",
              remediation="https://demo.example/tokens")]


def more():
    return Rule(id="demo-other", provider="demo", description="Other demo token",
                pattern=r"dmo2_[a-z0-9]{32}", keywords=("dmo2_",), confidence="medium",
                remediation="https://demo.example/tokens")


class Memory:
    """A vault backend that keeps values in a JSON file next to this module."""

    name = "memory"
    writable = True
    _path = __file__ + ".json"

    def _load(self):
        try:
            with open(self._path) as f:
                return json.load(f)
        except OSError:
            return {}

    def get(self, name):
        return self._load().get(name)

    def set(self, name, value):
        data = self._load()
        data[name] = value
        with open(self._path, "w") as f:
            json.dump(data, f)

    def delete(self, name):
        data = self._load()
        found = data.pop(name, None) is not None
        with open(self._path, "w") as f:
            json.dump(data, f)
        return found

    def names(self):
        return sorted(self._load())

    def rollback(self, name):
        return False

    def describe(self):
        return "demo memory backend"


import json  # noqa: E402
'''


def install(site: Path, entry_points: str, module: str = PLUGIN) -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / "kgdemo.py").write_text(module)
    info = site / "kgdemo-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kgdemo\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)


def keyguard(
    site: Path, home: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, (str(site), os.environ.get("PYTHONPATH"))))
    env = {**os.environ, "PYTHONPATH": path, "HOME": str(home),
           "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config")}  # fmt: skip
    env.pop("KEYGUARD_BACKEND", None)
    return subprocess.run([sys.executable, "-m", "keyguard", *args], env=env, cwd=home,
                          input=stdin, capture_output=True, text=True)  # fmt: skip
