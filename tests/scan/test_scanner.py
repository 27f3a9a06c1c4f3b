from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from keyguard.scan.batch import scan_targets
from keyguard.scan.options import ScanOptions
from keyguard.scan.pipeline import scan_target
from keyguard.scan.rules import BUILTIN_RULES
from keyguard.scan.scanner import Scanner
from keyguard.scan.sources import Target
from keyguard.testing import tokens


def _target(path: Path) -> Target:
    return Target(str(path), str(path))


def test_positions_are_one_based_lines_and_character_columns(
    scanner: Scanner, tmp_path: Path, rng: random.Random
) -> None:
    token = tokens.anthropic(rng)
    path = tmp_path / "notes.md"
    path.write_text(f"first line\nçà → key: {token}\n", encoding="utf-8")
    result = scan_target(scanner, _target(path))
    (finding,) = result.findings
    assert (finding.line, finding.column) == (2, 11)
    assert (finding.end_line, finding.end_column) == (2, 11 + len(token))
    assert finding.preview == f"sk-ant-api03-…{token[-4:]}"
    assert token not in repr(finding)


def test_invalid_utf8_does_not_stop_a_scan(
    scanner: Scanner, tmp_path: Path, rng: random.Random
) -> None:
    token = tokens.github_classic(rng)
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"ok \xff\xfa broken \xc3(\n" + f"GITHUB_TOKEN={token}\n".encode())
    result = scan_target(scanner, _target(path))
    assert [(f.rule_id, f.line) for f in result.findings] == [("github-token", 2)]


def test_binary_files_are_skipped_and_counted(
    scanner: Scanner, tmp_path: Path, rng: random.Random
) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(b"\x00\x01ELF" + tokens.anthropic(rng).encode())
    result = scan_target(scanner, _target(path))
    assert result.findings == []
    assert (result.stats.skipped_binary, result.stats.files) == (1, 0)


def test_utf16_files_are_decoded(scanner: Scanner, tmp_path: Path, rng: random.Random) -> None:
    token = tokens.npm(rng)
    path = tmp_path / "win.ini"
    path.write_text(f"[npm]\ntoken={token}\n", encoding="utf-16")
    (finding,) = scan_target(scanner, _target(path)).findings
    assert (finding.rule_id, finding.line, finding.column) == ("npm-token", 2, 7)


def test_large_files_are_scanned_in_blocks_with_exact_positions(
    tmp_path: Path, rng: random.Random
) -> None:
    small = Scanner(ScanOptions(BUILTIN_RULES, b"k" * 32, engine="portable", block=4096))
    lines = [f"line {i} " + "x" * (i % 70) for i in range(5000)]
    expected = {}
    for n in (3, 700, 1500, 4999):
        token = tokens.anthropic(rng)
        lines[n] = "pad " * (n % 9) + token
        expected[n + 1] = (len("pad " * (n % 9)) + 1, token)
    path = tmp_path / "big.log"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size > 40 * 4096
    result = scan_target(small, _target(path))
    got = {f.line: (f.column, f.preview) for f in result.findings}
    assert got == {
        line: (col, f"sk-ant-api03-…{tok[-4:]}") for line, (col, tok) in expected.items()
    }
    assert result.stats.bytes == path.stat().st_size


def test_a_key_across_a_block_boundary_is_found_once(tmp_path: Path, rng: random.Random) -> None:
    small = Scanner(ScanOptions(BUILTIN_RULES, b"k" * 32, engine="portable", block=4096))
    token = tokens.anthropic(rng)
    path = tmp_path / "edge.txt"
    path.write_bytes(b"a" * (4096 - 50) + b" " + token.encode() + b"\n")
    assert [f.rule_id for f in scan_target(small, _target(path)).findings] == ["anthropic-api-key"]


def test_unreadable_file_is_reported_and_the_scan_goes_on(
    scanner: Scanner, tmp_path: Path, rng: random.Random
) -> None:
    if os.geteuid() == 0:
        locked = tmp_path / "missing-now.txt"  # root reads anything: use a vanished file
    else:
        locked = tmp_path / "locked.txt"
        locked.write_text("x")
        locked.chmod(0)
    good = tmp_path / "good.env"
    good.write_text(f"TOKEN={tokens.github_classic(rng)}\n")
    result = scan_targets(scanner, [_target(locked), _target(good)])
    assert [e.path for e in result.errors] == [str(locked)]
    assert "cannot read" in result.errors[0].message
    assert [f.path for f in result.findings] == [str(good)]


def test_max_file_size_skips_with_a_notice(tmp_path: Path) -> None:
    limited = Scanner(ScanOptions(BUILTIN_RULES, b"k" * 32, engine="portable", max_file_size=10))
    path = tmp_path / "big.txt"
    path.write_text("x" * 100)
    result = scan_target(limited, _target(path))
    assert result.stats.skipped_large == 1
    assert result.errors[0].message.startswith("skipped:")


def test_inline_allow_is_counted_not_reported(
    scanner: Scanner, tmp_path: Path, rng: random.Random
) -> None:
    path = tmp_path / "a.py"
    path.write_text(
        f"A = '{tokens.github_classic(rng)}'  # keyguard: allow\n"
        f"# pragma: allowlist nextline secret\nB = '{tokens.npm(rng)}'\n"
        f"C = '{tokens.npm(rng)}'  # gitleaks:allow\n"
    )
    result = scan_target(scanner, _target(path))
    assert result.findings == [] and result.stats.suppressed == 3


def test_on_a_minified_line_only_a_nearby_directive_counts(
    scanner: Scanner, tmp_path: Path, rng: random.Random
) -> None:
    """A one-line export of megabytes: a directive counts within 4 KiB of the key, so a stray
    `keyguard: allow` far along the line neither hides keys nor costs a line-long search each."""
    near, far = tokens.github_classic(rng), tokens.npm(rng)
    filler = '{"text": "' + "lorem ipsum " * 1000 + '"}, '
    line = f'[{{"a": "{near} keyguard: allow"}}, ' + filler * 20 + f'{{"b": "{far}"}}]\n'
    path = tmp_path / "conversations.json"
    path.write_text(line)
    result = scan_target(scanner, _target(path))
    assert [f.rule_id for f in result.findings] == ["npm-token"]
    assert result.stats.suppressed == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_parallel_and_serial_scans_agree(tmp_path: Path, jobs: int) -> None:
    from keyguard.testing.corpus import document

    rng = random.Random(3)
    targets = []
    for i in range(80):
        path = tmp_path / f"f{i:03}.txt"
        path.write_text(document(rng, plants=3, decoy_lines=3))
        targets.append(Target(path.name, str(path), path.stat().st_size))
    serial = Scanner(ScanOptions(BUILTIN_RULES, b"k" * 32, engine="portable", jobs=1))
    other = Scanner(ScanOptions(BUILTIN_RULES, b"k" * 32, engine="portable", jobs=jobs))
    a, b = scan_targets(serial, targets), scan_targets(other, targets)
    assert [(f.path, f.line, f.fingerprint) for f in a.findings] == [
        (f.path, f.line, f.fingerprint) for f in b.findings
    ]
    assert len(a.findings) >= 240 and b.stats.files == 80  # the AWS pair plant adds its key id
