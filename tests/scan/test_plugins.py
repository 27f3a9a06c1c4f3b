"""Detector plug-ins (``keyguard.detectors``) from another package, through the real command."""

from __future__ import annotations

import json
import random
from pathlib import Path

from keyguard.testing import tokens
from tests.plugin_site import PLUGIN
from tests.plugin_site import install as _install
from tests.plugin_site import keyguard as _keyguard


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
