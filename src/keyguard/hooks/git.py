"""Git hooks: block a commit or a push that adds keys, and say what to do about it.

Used by ``keyguard hook …`` (the pre-commit framework's entry points and the standalone
scripts in ``githooks/``) and ``keyguard install-hook``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from keyguard.errors import EXIT_FINDINGS
from keyguard.errors import EXIT_OK
from keyguard.errors import EXIT_REWRITTEN
from keyguard.errors import EXIT_USAGE
from keyguard.errors import UsageError

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from pathlib import Path

    from keyguard.scan.finding import Finding
    from keyguard.scan.finding import ScanResult
    from keyguard.scan.scanner import Scanner

# Imports are deferred throughout: `keyguard hook pre-commit` runs on every commit, and under
# the pre-commit framework it needs neither git, pathlib nor argparse.

MARKER = "keyguard-hook"


def _quoted(path: str) -> str:
    safe = path.replace("/", "").replace(".", "").replace("-", "").replace("_", "")
    return path if safe.isalnum() else "'" + path.replace("'", "'\\''") + "'"


def block_message(findings: Sequence[Finding], action: str) -> str:
    count = len(findings)
    lines = [f"keyguard: {action} blocked: {count} key{'s' * (count != 1)} found", ""]
    for f in findings:
        where = f"{f.path}:{f.line}:{f.column}"
        commit = f.location.get("commit")
        if commit:
            where = f"{str(commit)[:10]} {where}"
        lines.append(f"  {where}  {f.rule_id}  {f.preview}")
    rotate = dict.fromkeys(f.remediation for f in findings if f.remediation.startswith("https"))
    files = " ".join(dict.fromkeys(_quoted(f.path) for f in findings if "commit" not in f.location))
    migrate = [f"      keyguard migrate {files}"] if files else []
    lines += [
        "",
        "What to do:",
        "  - A real key: move it into the vault and load it from there,",
        *migrate,
        "    (or take it out by hand), and rotate it if it was ever shared or pushed:",
        *(f"      {url}" for url in rotate),
        "  - Not a secret (a test value, an example): add `keyguard: allow` in a comment on",
        "    its line.",
        "  - Known and accepted: `keyguard baseline update`, then commit",
        "    .keyguard-baseline.json.",
    ]
    return "\n".join(lines)


def _apply_baseline(
    result: ScanResult, root: str, baseline_arg: str | None, scanned: Sequence[str] | None
) -> tuple[list[Finding], int]:
    """New findings after the baseline, and EXIT_REWRITTEN if the baseline was pruned."""
    from keyguard.scan import setup as session

    path = session.baseline_path(baseline_arg, False, root)
    if path is None:
        return result.findings, EXIT_OK
    from pathlib import Path

    from keyguard.atomic import write_atomic
    from keyguard.scan.baseline import load

    baseline = load(Path(path))
    fresh, _ = baseline.new_findings(result.findings)
    if fresh or scanned is None:
        return fresh, EXIT_OK
    pruned = baseline.prune(result.findings, scanned)
    if pruned.entries == baseline.entries:
        return fresh, EXIT_OK
    write_atomic(Path(path), pruned.dumps().encode())
    removed = len(baseline.entries) - len(pruned.entries)
    print(
        f"keyguard: {os.path.basename(path)} updated: {removed} "
        f"entr{'ies' if removed != 1 else 'y'} for keys no longer in the staged files removed. "
        "`git add` it and commit again.",
        file=sys.stderr,
    )
    return fresh, EXIT_REWRITTEN


def _scanner(
    root: str, baseline_arg: str | None, config: str | None, honour_allow: bool = True
) -> Scanner:
    from keyguard.scan import setup as session

    path = session.baseline_path(baseline_arg, not honour_allow, root)
    baseline = session.open_baseline(path)
    return session.scanner(
        session.select(config),
        engine="portable",  # builds in ~3 ms; Hyperscan pays off only on large inputs
        baseline=baseline,
        honour_allow=honour_allow,
    )


def _under_framework(files: Sequence[str]) -> bool:
    """The pre-commit framework runs hooks at the repository root with unstaged changes
    stashed, so the named files on disk are exactly their staged content."""
    return bool(files) and os.environ.get("PRE_COMMIT") == "1" and os.path.isdir(".git")


def _scan_files_on_disk(scanner: Scanner, files: Sequence[str]) -> ScanResult:
    from keyguard.scan.batch import scan_targets
    from keyguard.scan.sources import Target

    names = [name.replace(os.sep, "/") for name in files]
    result = scan_targets(scanner, [Target(name, name) for name in names])
    result.scanned = names
    return result


def pre_commit(files: Sequence[str], baseline_arg: str | None, config: str | None) -> int:
    """Scan what the commit will contain: the staged blobs of ``files`` (or of every change)."""
    if _under_framework(files):
        root = os.getcwd()
        result = _scan_files_on_disk(_scanner(root, baseline_arg, config), files)
    else:
        from keyguard.scan.gitscan import scan_index

        repo = _repo()
        root = str(repo)
        relative = [_root_relative(name, root) for name in files]
        result = scan_index(_scanner(root, baseline_arg, config), repo, relative)
    findings, code = _apply_baseline(result, root, baseline_arg, result.scanned)
    return _finish(result, findings, code, "commit")


def pre_push(lines: Sequence[str], baseline_arg: str | None, config: str | None) -> int:
    """Scan only the commits being pushed (their new blobs), as git hands them to pre-push."""
    from keyguard import git
    from keyguard.scan.gitscan import scan_history

    repo = _repo()
    root = str(repo)
    revisions = git.pushed_revisions(repo, lines)
    if not revisions and os.environ.get("PRE_COMMIT_TO_REF"):
        # The pre-commit framework hands over the range in the environment, not on stdin.
        start, end = os.environ.get("PRE_COMMIT_FROM_REF", ""), os.environ["PRE_COMMIT_TO_REF"]
        revisions = [end, "--not", "--remotes"] if start in {"", git.ZERO} else [f"{start}..{end}"]
    if not revisions:
        return EXIT_OK
    result = scan_history(_scanner(root, baseline_arg, config), repo, revisions)
    findings, code = _apply_baseline(result, root, baseline_arg, None)
    return _finish(result, findings, code, "push")


def env_files(files: Sequence[str], config: str | None) -> int:
    """Refuse .env-style files that hold keys, whatever a baseline or an allow comment says."""
    if _under_framework(files):
        result = _scan_files_on_disk(_scanner(os.getcwd(), None, config, False), files)
    else:
        from keyguard.scan.gitscan import scan_index

        repo = _repo()
        relative = [_root_relative(name, str(repo)) for name in files]
        result = scan_index(_scanner(str(repo), None, config, False), repo, relative)
    if not result.findings:
        return EXIT_OK
    names = sorted({f.path for f in result.findings})
    print(block_message(result.findings, "commit"), file=sys.stderr)
    print(
        "\n  Environment files with real keys do not belong in git: add "
        + ", ".join(names)
        + " to .gitignore (`git rm --cached FILE` if it is tracked) and commit a template "
        "with placeholders instead.",
        file=sys.stderr,
    )
    return EXIT_FINDINGS


def _finish(result: ScanResult, findings: list[Finding], code: int, action: str) -> int:
    for error in result.errors:
        print(f"keyguard: {error.path}: {error.message}", file=sys.stderr)
    if findings:
        print(block_message(findings, action), file=sys.stderr)
        return EXIT_FINDINGS
    if any(e.fatal for e in result.errors):
        return EXIT_USAGE
    return code


def _repo() -> str:
    if os.path.exists(".git"):
        return os.getcwd()  # git runs hooks at the top of the work tree: no need to ask it
    from keyguard import git

    return str(git.require_repo(os.getcwd()))


def _root_relative(name: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(name), root).replace(os.sep, "/")


def install(kind: str, force: bool) -> Path:
    """Install the standalone hook script; refuse to replace someone else's hook."""
    from importlib import resources

    from keyguard import git

    target = git.hooks_dir(_repo()) / kind
    script = resources.files("keyguard.hooks.scripts").joinpath(kind).read_text(encoding="utf-8")
    executable = _keyguard_executable()
    if executable:
        script = script.replace(
            'KEYGUARD_BIN="${KEYGUARD_BIN:-keyguard}"',
            f'KEYGUARD_BIN="${{KEYGUARD_BIN:-{executable}}}"',
        )
    if target.exists() and MARKER not in target.read_text(encoding="utf-8", errors="replace"):
        if not force:
            raise UsageError(
                f"{target} exists and is not keyguard's: add keyguard to that hook, use the "
                "pre-commit framework (see docs/git.md), or pass --force to replace it "
                f"(the old hook is kept as {target.name}.keyguard-backup)"
            )
        target.replace(target.with_name(f"{target.name}.keyguard-backup"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script, encoding="utf-8")
    target.chmod(0o755)
    return target


def _keyguard_executable() -> str | None:
    """The keyguard that is running now, so the hook works without an activated venv."""
    candidate = os.path.join(os.path.dirname(sys.executable), "keyguard")
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK) and "'" not in candidate:
        return candidate
    return None
