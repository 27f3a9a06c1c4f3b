"""keyguard migrate, end to end, with real shells."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from keyguard.testing import tokens


@pytest.fixture
def kg(tmp_path: Path, isolated_home: Path):
    env = {
        **os.environ,
        "KEYGUARD_DATA_DIR": str(tmp_path / "kgdata"),
        "KEYGUARD_BACKEND": "file",
        "HOME": str(isolated_home),
        "NO_COLOR": "1",
    }
    env.pop("KEYGUARD_PASSPHRASE", None)
    outputs: list[str] = []

    def run(*args: str, cwd: Path = tmp_path, extra: dict[str, str] | None = None):
        proc = subprocess.run(
            [sys.executable, "-m", "keyguard", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**env, **(extra or {})},
        )
        outputs.append(proc.stdout + proc.stderr)
        return proc

    run.env = env  # type: ignore[attr-defined]
    run.outputs = outputs  # type: ignore[attr-defined]
    return run


@pytest.fixture
def kg_keychain(kg, private_secret_service: dict[str, str]):
    """``kg`` with the real Secret Service (gnome-keyring under dbus-run-session) as vault."""
    kg.env.update(private_secret_service)
    kg.env["KEYGUARD_BACKEND"] = "system"
    return kg


def _shell_env(shell: str, rc: Path, env: dict[str, str]) -> str:
    exe = shutil.which(shell)
    if exe is None:
        pytest.fail(f"{shell} is not installed: apt-get install {shell} (.ci/run installs it)")
    script = f". '{rc}'; env | grep -E '_(API_KEY|TOKEN)' | sort"
    proc = subprocess.run([exe, "-c", script], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "sh", "ksh"])
def test_shell_rc_round_trip_in_real_shells(kg_keychain, tmp_path: Path, shell: str) -> None:
    kg = kg_keychain
    rng = random.Random(shell)
    a, o, g = tokens.anthropic(rng), tokens.openai_project(rng), tokens.github_classic(rng)
    rc = tmp_path / ".profile"
    original = (
        "# my profile\n"
        'export PATH="$HOME/bin:$PATH"\n'
        f"export ANTHROPIC_API_KEY='{a}'   # work key\n"
        "alias ll='ls -l'\n"
        f"OPENAI_API_KEY={o}\n"
        "export OPENAI_API_KEY\n"
        f'  declare -x GITHUB_TOKEN="{g}"\n'.replace(
            "declare -x", {"sh": "export", "ksh": "typeset -x"}.get(shell, "declare -x")
        )
        + "echo loaded >/dev/null\n"
    )
    rc.write_bytes(original.encode())
    os.chmod(rc, 0o640)
    env = {k: v for k, v in kg.env.items() if not k.endswith(("_API_KEY", "_TOKEN"))}
    before = _shell_env(shell, rc, env)
    assert a in before and o in before and g in before
    proc = kg("migrate", str(rc), "--yes")
    assert proc.returncode == 0, proc.stderr
    migrated = rc.read_text()
    assert a not in migrated and o not in migrated and g not in migrated
    assert migrated.count('eval "$(') == 1  # one block for the whole file
    assert "alias ll='ls -l'" in migrated and "# my profile" in migrated
    assert rc.stat().st_mode & 0o777 == 0o640
    exe = shutil.which(shell)
    assert subprocess.run([exe, "-n", str(rc)]).returncode == 0  # type: ignore[list-item]
    assert _shell_env(shell, rc, env) == before  # the same environment as before
    again = kg("migrate", str(rc), "--yes")
    assert (
        again.returncode == 0
        and "no keys to migrate" in again.stderr
        and rc.read_text() == migrated
    )
    assert kg("migrate", "--undo", str(rc)).returncode == 0
    assert rc.read_bytes() == original.encode()  # byte for byte
    for output in kg.outputs:
        assert a not in output and o not in output and g not in output


@pytest.mark.parametrize("shell", ["bash", "zsh", "ksh"])
def test_several_assignments_on_one_line(kg_keychain, tmp_path: Path, shell: str) -> None:
    kg = kg_keychain
    rng = random.Random(11)
    a, o, g = tokens.anthropic(rng), tokens.openai_project(rng), tokens.github_classic(rng)
    rc = tmp_path / ".bashrc"
    original = (
        f"export EDITOR=vi ANTHROPIC_API_KEY={a} PAGER='less -R'  # mixed\n"
        f'    export OPENAI_API_KEY="{o}" GITHUB_TOKEN={g}\n'
        "echo done >/dev/null\n"
    )
    rc.write_text(original)
    env = {k: v for k, v in kg.env.items() if not k.endswith(("_API_KEY", "_TOKEN"))}
    script = f". '{rc}'; env | grep -E '_(API_KEY|TOKEN)=|^EDITOR=|^PAGER=' | sort"
    before = subprocess.run([shell, "-c", script], capture_output=True, text=True, env=env)
    assert a in before.stdout and "PAGER=less -R" in before.stdout
    proc = kg("migrate", str(rc), "--yes")
    assert proc.returncode == 0, proc.stderr
    migrated = rc.read_text()
    lines = migrated.splitlines()
    assert lines[2] == "export EDITOR=vi PAGER='less -R'  # mixed"  # the others stay
    assert "export" not in lines[3]  # the all-keys line is gone, not left as a bare `export`
    assert migrated.count('eval "$(') == 1
    after = subprocess.run([shell, "-c", script], capture_output=True, text=True, env=env)
    assert after.returncode == 0 and after.stdout == before.stdout
    assert kg("migrate", "--undo", str(rc)).returncode == 0
    assert rc.read_text() == original
    for output in kg.outputs:
        assert a not in output and o not in output and g not in output


def test_zshrc_into_the_secret_service(kg, tmp_path: Path, secret_service: dict[str, str]) -> None:
    """The everyday case end to end: ~/.zshrc into a real Secret Service (gnome-keyring)."""
    rng = random.Random(13)
    a = tokens.anthropic(rng)
    rc = tmp_path / ".zshrc"
    original = f"setopt autocd\nexport ANTHROPIC_API_KEY={a}\n"
    rc.write_text(original)
    extra = {**secret_service, "KEYGUARD_BACKEND": "system"}
    env = {k: v for k, v in {**kg.env, **extra}.items() if not k.endswith("_API_KEY")}
    proc = kg("migrate", str(rc), "--yes", extra=extra)
    assert proc.returncode == 0, proc.stderr
    assert a not in rc.read_text() and not (tmp_path / "kgdata" / "vault.json").exists()
    lookup = subprocess.run(
        ["secret-tool", "lookup", "service", "keyguard", "username", "anthropic/default"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    stored = lookup.returncode == 0 and lookup.stdout.strip() == a
    assert stored, "the Secret Service does not hold the key under keyguard/anthropic/default"
    assert _shell_env("zsh", rc, env) == f"ANTHROPIC_API_KEY={a}\n"
    assert kg("migrate", "--undo", str(rc), extra=extra).returncode == 0
    assert rc.read_text() == original
    for output in kg.outputs:
        assert a not in output


def test_sourced_fragments_holding_keys_are_named(kg, tmp_path: Path, isolated_home: Path) -> None:
    rng = random.Random(17)
    a, g = tokens.anthropic(rng), tokens.github_classic(rng)
    (isolated_home / ".secrets").write_text(f"export ANTHROPIC_API_KEY={a}\n")
    (tmp_path / "local.sh").write_text(f"export GITHUB_TOKEN={g}\n")
    (tmp_path / "clean.sh").write_text("alias k=kubectl\n")
    rc = tmp_path / ".zshrc"
    rc.write_text(
        "source ~/.secrets\n. ./local.sh  # machine-local\n"
        '[ -f "$HOME/.nothing" ] && . "$HOME/.nothing"\n. clean.sh\n'
    )
    proc = kg("migrate", str(rc), "--dry-run")
    assert proc.returncode == 0 and "no keys to migrate" in proc.stderr
    assert f"sources {isolated_home / '.secrets'}, which holds 1 key(s)" in proc.stderr
    assert f"sources {tmp_path / 'local.sh'}, which holds 1 key(s)" in proc.stderr
    assert "clean.sh" not in proc.stderr
    both = kg("migrate", str(rc), str(tmp_path / "local.sh"), "--dry-run")
    assert "local.sh, which holds" not in both.stderr  # already on the command line
    assert a not in proc.stderr + proc.stdout and g not in both.stdout + both.stderr


def test_envrc_is_a_bash_script_for_direnv(kg, tmp_path: Path) -> None:
    """direnv runs .envrc with bash, so it gets the shell block (a keyguard:// value there
    would reach programs as that literal text) and the `direnv allow` reminder."""
    key = tokens.openai_project(random.Random(19))
    envrc = tmp_path / ".envrc"
    original = f"layout python3\nexport OPENAI_API_KEY={key}\n"
    envrc.write_text(original)
    proc = kg("migrate", str(envrc), "--yes")
    assert proc.returncode == 0 and "direnv allow" in proc.stderr
    migrated = envrc.read_text()
    assert key not in migrated and "env --shell sh OPENAI_API_KEY=openai/default" in migrated
    env = {k: v for k, v in kg.env.items() if not k.endswith("_API_KEY")}
    script = f"layout() {{ :; }}; . '{envrc}'; printf '%s' \"$OPENAI_API_KEY\""
    loaded = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
    assert loaded.stdout == key, loaded.stderr
    assert kg("migrate", "--undo", str(envrc)).returncode == 0 and envrc.read_text() == original


def test_fish_variables_is_reported_not_edited(kg, tmp_path: Path) -> None:
    key = tokens.anthropic(random.Random(23))
    store = tmp_path / "fish_variables"
    store.write_text(f"# This file contains fish universal variable definitions.\n"
                     f"SETUVAR --export ANTHROPIC_API_KEY:{key}\n")  # fmt: skip
    before = store.read_bytes()
    proc = kg("migrate", str(store), "--yes")
    assert proc.returncode == 1 and "set -eU" in proc.stderr and store.read_bytes() == before


def test_dotenv_keeps_layout_and_resolves(kg, tmp_path: Path) -> None:
    rng = random.Random(5)
    a, n = tokens.anthropic(rng), tokens.npm(rng)
    env_file = tmp_path / ".env"
    original = (
        f'# app settings\r\nexport ANTHROPIC_API_KEY="{a}"\r\nNPM_TOKEN={n} # ci\r\nMODE=dev\r\n'
    )
    env_file.write_bytes(original.encode())
    assert kg("migrate", ".env", "--yes").returncode == 0
    migrated = env_file.read_bytes().decode()
    assert migrated == original.replace(a, "keyguard://anthropic/default").replace(
        n, "keyguard://npm/default"
    )
    proc = kg(
        "run",
        "--env-file",
        ".env",
        "--no-mask",
        "--",
        "sh",
        "-c",
        'test "$ANTHROPIC_API_KEY" = "$A" && test "$NPM_TOKEN" = "$N" && echo same',
        extra={"A": a, "N": n},
    )
    assert proc.stdout == "same\n", proc.stderr
    code = (
        "import os, keyguard.dotenv as d; d.load('.env', override=True); "
        "print(os.environ['ANTHROPIC_API_KEY'] == os.environ['A'])"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**kg.env, "A": a},
    )
    assert loaded.stdout.strip() == "True", loaded.stderr
    assert (
        kg("migrate", "--undo", ".env").returncode == 0
        and env_file.read_bytes() == original.encode()
    )


def test_fish_config(kg_keychain, tmp_path: Path) -> None:
    kg = kg_keychain
    fish = shutil.which("fish")
    if fish is None:
        pytest.fail("fish is not installed: apt-get install fish (.ci/run installs it)")
    rng = random.Random(6)
    a, o = tokens.anthropic(rng), tokens.openai_project(rng)
    config = tmp_path / "config.fish"
    original = f"# fish\nset -gx ANTHROPIC_API_KEY '{a}'\nset -g fish_greeting ''\n"
    config.write_text(original)
    assert kg("migrate", str(config), "--yes").returncode == 0
    assert a not in config.read_text()
    assert subprocess.run([fish, "-n", str(config)]).returncode == 0
    proc = subprocess.run(
        [fish, "-c", f"source {config}; printf '%s' $ANTHROPIC_API_KEY"],
        capture_output=True,
        text=True,
        env=kg.env,
    )
    assert proc.stdout == a, proc.stderr
    assert kg("migrate", "--undo", str(config)).returncode == 0 and config.read_text() == original
    conf_d = tmp_path / "conf.d"
    conf_d.mkdir()
    keys = conf_d / "keys.fish"
    keys_text = f'set --global --export OPENAI_API_KEY "{o}"  # work\n'
    keys.write_text(keys_text)
    assert kg("migrate", str(keys), "--yes").returncode == 0 and o not in keys.read_text()
    proc = subprocess.run(
        [fish, "-c", f"source {keys}; printf '%s' $OPENAI_API_KEY"],
        capture_output=True,
        text=True,
        env=kg.env,
    )
    assert proc.stdout == o, proc.stderr
    assert kg("migrate", "--undo", str(keys)).returncode == 0 and keys.read_text() == keys_text
    partial = tmp_path / "p.fish"
    partial.write_text(f'set -gx ANTHROPIC_API_KEY "prefix:{a}"\n')
    refused = kg("migrate", str(partial), "--yes")
    assert refused.returncode == 1 and "only part of the value" in refused.stderr
    universal = tmp_path / "u.fish"
    universal.write_text(f"set -Ux ANTHROPIC_API_KEY {a}\n")
    refused = kg("migrate", str(universal), "--yes")
    assert refused.returncode == 1 and "set -eU ANTHROPIC_API_KEY" in refused.stderr


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("cat <<EOF\nexport K_API_KEY={key}\nEOF\n", "heredoc"),
        ('X="$(echo {key})"\n', "command substitution"),
        ("A_API_KEY={key} some_tool --flag\n", "plain assignment"),
        ("export A_API_KEY={key}; echo hi\n", "more than one statement"),
        ('export A_API_KEY="prefix:{key}"\n', "only part of the value"),
        ('export A_API_KEY="{key}\nexport B=1\n', "unbalanced quote"),
    ],
)
def test_unsafe_places_are_left_untouched_with_a_reason(
    kg, tmp_path: Path, body: str, reason: str
) -> None:
    key = tokens.github_classic(random.Random(reason))
    rc = tmp_path / ".bashrc"
    rc.write_text("# rc\n" + body.format(key=key))
    before = rc.read_bytes()
    proc = kg("migrate", str(rc), "--yes")
    assert proc.returncode == 1 and reason in proc.stderr
    assert rc.read_bytes() == before


def test_a_symlinked_rc_stays_a_symlink_and_keeps_its_owner(kg, tmp_path: Path) -> None:
    key = tokens.anthropic(random.Random(29))
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "bashrc"
    original = f"export ANTHROPIC_API_KEY={key}\n"
    target.write_text(original)
    if os.geteuid() == 0:  # as root (CI), give it away first: migrate must keep the owner
        os.chown(target, 4321, 4321)
    owner = (target.stat().st_uid, target.stat().st_gid)
    link = tmp_path / ".bashrc"
    link.symlink_to(target)
    assert kg("migrate", str(link), "--yes").returncode == 0
    assert link.is_symlink() and key not in target.read_text()
    assert (target.stat().st_uid, target.stat().st_gid) == owner
    assert kg("migrate", "--undo", str(link)).returncode == 0
    assert link.is_symlink() and target.read_text() == original


def test_bad_input_is_named_with_the_right_exit_code(kg, tmp_path: Path) -> None:
    missing = kg("migrate", str(tmp_path / ".zshrc"), "--yes")
    assert missing.returncode == 2 and ".zshrc: cannot read" in missing.stderr
    binary = tmp_path / ".profile"
    binary.write_bytes(b"\x7fELF\0\0\xff" * 50)
    refused = kg("migrate", str(binary), "--yes")
    assert refused.returncode == 2 and "not a text file" in refused.stderr
    assert binary.read_bytes() == b"\x7fELF\0\0\xff" * 50


def test_names_never_overwrite_a_different_value(kg, tmp_path: Path) -> None:
    rng = random.Random(7)
    existing, pasted = tokens.anthropic(rng), tokens.anthropic(rng)
    kg("set", "anthropic/default", extra={}, cwd=tmp_path)  # no stdin: reads an empty line
    proc = subprocess.run(
        [sys.executable, "-m", "keyguard", "set", "anthropic/default"],
        input=existing,
        text=True,
        capture_output=True,
        env=kg.env,
    )
    assert proc.returncode == 0, proc.stderr
    rc = tmp_path / ".zshrc"
    rc.write_text(f"export ANTHROPIC_API_KEY={pasted}\nexport ANTHROPIC_API_KEY_OLD={pasted}\n")
    proc = kg("migrate", str(rc), "--yes")
    assert "ANTHROPIC_API_KEY → anthropic/default-2 (new" in proc.stdout  # one name for one value
    assert "ANTHROPIC_API_KEY_OLD → anthropic/default-2" in proc.stdout
    get = subprocess.run(
        [sys.executable, "-m", "keyguard", "get", "anthropic/default"],
        capture_output=True,
        text=True,
        env=kg.env,
    )
    assert get.stdout.strip() == existing  # untouched


def test_dry_run_and_refusing_without_a_terminal(kg, tmp_path: Path) -> None:
    key = tokens.anthropic(random.Random(8))
    rc = tmp_path / ".bashrc"
    rc.write_text(f"export ANTHROPIC_API_KEY={key}\n")
    dry = kg("migrate", str(rc), "--dry-run")
    assert dry.returncode == 0 and "-export ANTHROPIC_API_KEY=sk-ant-api03-…" in dry.stdout
    assert (
        key not in dry.stdout + dry.stderr and rc.read_text() == f"export ANTHROPIC_API_KEY={key}\n"
    )
    ask = kg("migrate", str(rc))
    assert ask.returncode == 1 and "--yes" in ask.stderr and key in rc.read_text()
    listed = subprocess.run(
        [sys.executable, "-m", "keyguard", "list"], capture_output=True, text=True, env=kg.env
    )
    assert "no secrets" in listed.stdout  # nothing was stored either


def test_tcsh(kg_keychain, tmp_path: Path) -> None:
    kg = kg_keychain
    tcsh = shutil.which("tcsh")
    if tcsh is None:
        pytest.fail("tcsh is not installed: apt-get install tcsh (.ci/run installs it)")
    key = tokens.anthropic(random.Random(9))
    rc = tmp_path / ".tcshrc"
    original = f"# csh\nsetenv ANTHROPIC_API_KEY '{key}'\nset path = ($path)\n"
    rc.write_text(original)
    assert kg("migrate", str(rc), "--yes").returncode == 0
    assert key not in rc.read_text()
    proc = subprocess.run(
        [tcsh, "-f", "-c", f"source {rc}; printenv ANTHROPIC_API_KEY"],
        capture_output=True,
        text=True,
        env=kg.env,
    )
    assert proc.stdout.strip() == key, proc.stderr
    assert kg("migrate", "--undo", str(rc)).returncode == 0 and rc.read_text() == original


def test_powershell_profile_text(kg, tmp_path: Path) -> None:
    """No PowerShell on this machine: the rewrite is checked as text, and undone byte for byte."""
    key = tokens.anthropic(random.Random(10))
    profile = tmp_path / "Microsoft.PowerShell_profile.ps1"
    original = f'# profile\r\n$env:ANTHROPIC_API_KEY = "{key}"\r\nSet-Alias ll Get-ChildItem\r\n'
    profile.write_bytes(original.encode())
    assert kg("migrate", str(profile), "--yes").returncode == 0
    text = profile.read_bytes().decode()
    assert key not in text
    assert (
        "$env:ANTHROPIC_API_KEY = (& '" in text
        and "get anthropic/default | Out-String).Trim()\r\n" in text
    )
    assert (
        kg("migrate", "--undo", str(profile)).returncode == 0
        and profile.read_bytes() == original.encode()
    )
