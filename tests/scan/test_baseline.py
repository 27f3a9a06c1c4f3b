from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from keyguard.errors import InputError
from keyguard.scan import baseline
from keyguard.testing.tokens import PLANTS
from tests.conftest import git


def _kg(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keyguard", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_create_then_scan_reports_only_new(
    git_repo: Path, isolated_home: Path, rng: random.Random
) -> None:
    old, old_token = PLANTS["anthropic-api-key"](rng)
    (git_repo / "old.env").write_text(old + "\n")
    proc = _kg(git_repo, "baseline", "create")
    assert proc.returncode == 0, proc.stderr
    text = (git_repo / ".keyguard-baseline.json").read_text()
    assert old_token not in text and '"line' not in text and "20" not in text.split('"salt"')[0]
    document = json.loads(text)
    assert document["version"] == 1 and len(document["entries"]) == 2  # one entry + end marker
    assert (git_repo / ".gitattributes").read_text() == "/.keyguard-baseline.json merge=union\n"
    assert _kg(git_repo, "scan").returncode == 0
    new, _ = PLANTS["groq-api-key"](rng)
    (git_repo / "new.env").write_text(new + "\n")
    proc = _kg(git_repo, "scan", "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert [f["rule_id"] for f in report["findings"]] == ["groq-api-key"]
    assert report["stats"]["baselined"] == 1
    assert _kg(git_repo, "scan", "--no-baseline").returncode == 1
    assert "exists" in _kg(git_repo, "baseline", "create").stderr


def test_update_adds_and_removes_and_keeps_the_salt(
    git_repo: Path, isolated_home: Path, rng: random.Random
) -> None:
    (git_repo / "a.env").write_text(PLANTS["npm-token"](rng)[0] + "\n")
    assert _kg(git_repo, "baseline", "create").returncode == 0
    salt = json.loads((git_repo / ".keyguard-baseline.json").read_text())["salt"]
    (git_repo / "a.env").write_text("gone\n")
    (git_repo / "b.env").write_text(PLANTS["github-token"](rng)[0] + "\n")
    proc = _kg(git_repo, "baseline", "update")
    assert "1 entries (1 added, 1 removed)" in proc.stdout
    document = json.loads((git_repo / ".keyguard-baseline.json").read_text())
    assert document["salt"] == salt
    assert [e.get("path") for e in document["entries"]] == ["b.env", None]


def test_two_branches_adding_findings_merge_cleanly(
    git_repo: Path, isolated_home: Path, rng: random.Random
) -> None:
    (git_repo / "m.env").write_text(PLANTS["xai-api-key"](rng)[0] + "\n")
    assert _kg(git_repo, "baseline", "create").returncode == 0
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "base")
    for branch, name, rule in (
        ("one", "a.env", "tavily-api-key"),
        ("two", "b.env", "nvidia-api-key"),
    ):
        git(git_repo, "checkout", "-q", "-b", branch, "main")
        (git_repo / name).write_text(PLANTS[rule](rng)[0] + "\n")
        assert _kg(git_repo, "baseline", "update").returncode == 0
        git(git_repo, "add", "-A")
        git(git_repo, "commit", "-qm", branch)
    git(git_repo, "checkout", "-q", "one")
    git(git_repo, "merge", "-q", "--no-edit", "two")  # fails the test on a conflict
    merged = baseline.load(git_repo / ".keyguard-baseline.json")
    assert sorted(e[0] for e in merged.entries) == ["a.env", "b.env", "m.env"]
    assert _kg(git_repo, "scan").returncode == 0


def test_adjacent_additions_merge_too_with_union(
    git_repo: Path, isolated_home: Path, rng: random.Random
) -> None:
    assert _kg(git_repo, "baseline", "create").returncode == 0  # empty, sets merge=union
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "base")
    for branch, name in (("one", "x1.env"), ("two", "x2.env")):
        git(git_repo, "checkout", "-q", "-b", branch, "main")
        (git_repo / name).write_text(PLANTS["perplexity-api-key"](rng)[0] + "\n")
        assert _kg(git_repo, "baseline", "update").returncode == 0
        git(git_repo, "add", "-A")
        git(git_repo, "commit", "-qm", branch)
    git(git_repo, "checkout", "-q", "one")
    git(git_repo, "merge", "-q", "--no-edit", "two")
    assert len(baseline.load(git_repo / ".keyguard-baseline.json").entries) == 2


def test_broken_baseline_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text("{not json")
    with pytest.raises(InputError, match="not a keyguard baseline"):
        baseline.load(path)
    path.write_text('{"version": 9, "salt": "00", "entries": []}')
    with pytest.raises(InputError, match="version 9"):
        baseline.load(path)


def test_import_detect_secrets_baseline(
    git_repo: Path, isolated_home: Path, rng: random.Random
) -> None:
    accepted, _ = PLANTS["github-token"](rng)
    real, _ = PLANTS["aws-access-key-id"](rng)
    (git_repo / "a.py").write_text(f"{accepted}\n{real}\n")
    git(git_repo, "add", "-A")
    detect = Path(sys.executable).parent / "detect-secrets"
    proc = subprocess.run([str(detect), "scan"], cwd=git_repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    for item in document["results"]["a.py"]:
        if item["type"] == "AWS Access Key":
            item["is_secret"] = True  # as `detect-secrets audit` records a confirmed secret
    (git_repo / ".secrets.baseline").write_text(json.dumps(document))
    proc = _kg(git_repo, "baseline", "import", ".secrets.baseline")
    assert proc.returncode == 0, proc.stderr
    assert "1 marked as real secrets left out" in proc.stdout
    imported = baseline.load(git_repo / ".keyguard-baseline.json")
    assert [(e[0], e[1]) for e in imported.entries] == [("a.py", "github-token")]
    proc = _kg(git_repo, "scan", "--format", "json")
    assert [f["rule_id"] for f in json.loads(proc.stdout)["findings"]] == ["aws-access-key-id"]
