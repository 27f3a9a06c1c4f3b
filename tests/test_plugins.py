"""Plug-ins through entry points: detector rules and vault backends from another package.

Each test installs a real (unpacked) distribution on PYTHONPATH, with its ``.dist-info``
``entry_points.txt``, and runs the real ``keyguard`` command."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

from keyguard.testing import tokens

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


def _install(site: Path, entry_points: str, module: str = PLUGIN) -> None:
    site.mkdir(parents=True, exist_ok=True)
    (site / "kgdemo.py").write_text(module)
    info = site / "kgdemo-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kgdemo\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)


def _keyguard(
    site: Path, home: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, (str(site), os.environ.get("PYTHONPATH"))))
    env = {**os.environ, "PYTHONPATH": path, "HOME": str(home),
           "XDG_DATA_HOME": str(home / "data"),
           "XDG_CONFIG_HOME": str(home / "config")}  # fmt: skip
    env.pop("KEYGUARD_BACKEND", None)
    return subprocess.run([sys.executable, "-m", "keyguard", *args], env=env, cwd=home,
                          input=stdin, capture_output=True, text=True)  # fmt: skip


def test_detector_plugin_rules_join_the_scan_the_hook_and_the_rule_list(
    tmp_path: Path, rng: random.Random
) -> None:
    site, home = tmp_path / "site", tmp_path / "home"
    home.mkdir()
    _install(site, "[keyguard.detectors]\ndemo = kgdemo:RULES\nother = kgdemo:more\n")
    token = "demo_" + tokens.rand(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 32)
    other = "dmo2_" + tokens.rand(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 32)
    (home / "notes.txt").write_text(f"token {token}\nsecond {other}\n")
    run = _keyguard(site, home, "scan", "-f", "json", "notes.txt")
    assert run.returncode == 1, run.stderr
    assert [f["rule_id"] for f in json.loads(run.stdout)["findings"]] == ["demo-token",
                                                                          "demo-other"]  # fmt: skip
    listed = _keyguard(site, home, "rules").stdout
    assert "demo-token" in listed and "(plug-in)" in listed
    (home / "pyproject.toml").write_text('[tool.keyguard]\ndisable = ["demo-other"]\n')
    run = _keyguard(site, home, "scan", "-f", "json", "notes.txt")
    assert [f["rule_id"] for f in json.loads(run.stdout)["findings"]] == ["demo-token"]
    assert token not in run.stdout + run.stderr


def test_a_broken_detector_plugin_is_a_configuration_error(tmp_path: Path) -> None:
    site, home = tmp_path / "site", tmp_path / "home"
    home.mkdir()
    _install(site, "[keyguard.detectors]\nbad = kgdemo:Nope\n")
    (home / "a.txt").write_text("nothing\n")
    run = _keyguard(site, home, "scan", "a.txt")
    assert run.returncode == 2
    assert "detector plug-in 'bad' (kgdemo:Nope) cannot be loaded: AttributeError" in run.stderr
    clash = tmp_path / "clash"
    _install(clash, "[keyguard.detectors]\nx = kgdemo:RULES\n",
             PLUGIN.replace('id="demo-token"', 'id="github-token"'))  # fmt: skip
    run = _keyguard(clash, home, "scan", "a.txt")
    assert run.returncode == 2 and "rule id 'github-token' is already used" in run.stderr


def test_backend_plugin_is_a_vault_backend(tmp_path: Path) -> None:
    site, home = tmp_path / "site", tmp_path / "home"
    home.mkdir()
    _install(site, "[keyguard.backends]\nmemory = kgdemo:Memory\n")
    value = "demo-value-" + os.urandom(8).hex()
    stored = _keyguard(site, home, "set", "demo/default", "--backend", "memory",
                       stdin=value)  # fmt: skip
    assert stored.returncode == 0, stored.stderr
    listed = _keyguard(site, home, "list", "--backend", "memory")
    assert "demo/default" in listed.stdout
    got = _keyguard(site, home, "run", "--backend", "memory", "--secret", "V=demo/default", "--",
                    sys.executable, "-c", "import os; print(len(os.environ['V']))")  # fmt: skip
    assert got.stdout.strip() == str(len(value)), got.stderr
    doctor = _keyguard(site, home, "doctor", "--backend", "memory")
    assert "vault plug-ins:  memory (kgdemo:Memory)" in doctor.stdout, doctor.stderr
    assert "rule plug-ins:   none (entry points keyguard.detectors)" in doctor.stdout
    unknown = _keyguard(site, home, "list", "--backend", "nope")
    assert unknown.returncode == 2 and "choose one of" in unknown.stderr
    assert "memory" in unknown.stderr
