"""The vault commands end to end, on the encrypted file backend, as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SECRET = "sk-ant-api03-" + "K9" * 40 + "Zq7" + "AA"  # built at run time, not a real key shape
OTHER = "second-value-" + "r4T" * 8


@pytest.fixture
def kg(tmp_path: Path, isolated_home: Path):
    data = tmp_path / "kgdata"
    env = {
        **os.environ,
        "KEYGUARD_DATA_DIR": str(data),
        "KEYGUARD_BACKEND": "file",
        "HOME": str(isolated_home),
        "NO_COLOR": "1",
    }
    env.pop("KEYGUARD_PASSPHRASE", None)
    outputs: list[str] = []

    def run(
        *args: str,
        stdin: str | None = None,
        extra: dict[str, str] | None = None,
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, "-m", "keyguard", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**env, **(extra or {})},
            cwd=cwd or tmp_path,
        )
        outputs.append(proc.stdout + proc.stderr)
        return proc

    run.outputs = outputs  # type: ignore[attr-defined]
    run.data = data  # type: ignore[attr-defined]
    run.env = env  # type: ignore[attr-defined]
    return run


def test_store_list_rotate_rollback_remove(kg) -> None:
    assert kg("set", "anthropic/default", stdin=SECRET).returncode == 0
    listed = json.loads(kg("list", "--json").stdout)["secrets"]
    assert [s["name"] for s in listed] == ["anthropic/default"] and listed[0]["backend"] == "file"
    assert len(listed[0]["fingerprint"]) == 32
    again = kg("set", "anthropic/default", stdin=OTHER)
    assert again.returncode == 1 and "--replace" in again.stderr
    assert kg("set", "anthropic/default", "--replace", stdin=OTHER).returncode == 0
    assert kg("get", "anthropic/default").stdout == OTHER + "\n"
    assert kg("rollback", "anthropic/default").returncode == 0
    assert kg("get", "anthropic/default").stdout == SECRET + "\n"
    assert json.loads(kg("list", "--json").stdout)["secrets"][0]["rotated"]
    assert kg("remove", "anthropic/default").returncode == 0
    missing = kg("get", "anthropic/default")
    assert missing.returncode == 1 and "no secret named anthropic/default" in missing.stderr
    log = (kg.data / "audit.log").read_text()
    assert '"action": "rollback"' in log and SECRET not in log


def test_values_never_appear_in_any_output(kg, tmp_path: Path) -> None:
    kg("set", "anthropic/default", stdin=SECRET)
    kg("set", "anthropic/default", stdin=SECRET)  # exists: error path
    kg("set", "anthropic/default", "--replace", "--from-env", "MY_KEY", extra={"MY_KEY": SECRET})
    kg("set", "Bad Name", stdin=SECRET)
    kg("list")
    kg("list", "--json")
    kg("rollback", "anthropic/default")
    kg("doctor")
    kg(
        "run",
        "--secret",
        "ANTHROPIC_API_KEY=anthropic/default",
        "--",
        "sh",
        "-c",
        'echo "$ANTHROPIC_API_KEY"; echo "$ANTHROPIC_API_KEY" >&2; exit 3',
    )
    kg("run", "--secret", "PATH=anthropic/default", "--", "true")
    kg("run", "--secret", "X_KEY=missing/secret", "--", "true")
    kg("get", "missing/secret")
    kg("remove", "missing/secret")
    kg("rollback", "missing/secret")
    for output in kg.outputs:
        assert SECRET not in output and SECRET[13:40] not in output
    for name in os.listdir(kg.data):
        if name not in {"fingerprint.key", "machine.key"}:
            assert SECRET.encode() not in (kg.data / name).read_bytes(), name


def test_get_and_env_refuse_a_terminal(kg) -> None:
    import pty

    kg("set", "openai/default", stdin=SECRET)
    for args in (["get", "openai/default"], ["env"]):
        primary, secondary = pty.openpty()
        proc = subprocess.run(
            [sys.executable, "-m", "keyguard", *args],
            stdout=secondary,
            stderr=subprocess.PIPE,
            env=kg.env,
            text=True,
        )
        os.close(secondary)
        os.close(primary)
        assert proc.returncode == 2 and "refusing to print" in proc.stderr


@pytest.mark.parametrize("shell", ["sh", "bash", "zsh", "fish", "tcsh"])
def test_env_output_is_evaluated_by_the_real_shell(kg, shell: str) -> None:
    exe = shutil.which(shell)
    if exe is None:
        pytest.fail(f"{shell} is not installed: apt-get install {shell} (.ci/run installs it)")
    tricky = 'it\'s a "value" with $dollar, `ticks`, \\ and !bang-12345'
    kg("set", "anthropic/default", stdin=SECRET)
    kg("set", "openai/work", stdin=tricky)
    block = kg("env", "--shell", shell).stdout
    script = {
        "fish": "{}; printf '%s\\n' $ANTHROPIC_API_KEY $OPENAI_API_KEY_WORK",
        "tcsh": "{}\nprintf '%s\\n' \"$ANTHROPIC_API_KEY\"; printenv OPENAI_API_KEY_WORK",
    }.get(shell, '{}\nprintf "%s\\n" "$ANTHROPIC_API_KEY" "$OPENAI_API_KEY_WORK"')
    body = block if shell != "fish" else block.replace("\n", "; ").rstrip("; ")
    proc = subprocess.run([exe, "-c", script.format(body)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [SECRET, tricky]


def test_env_with_explicit_pairs_and_a_missing_secret(kg) -> None:
    kg("set", "anthropic/default", stdin=SECRET)
    proc = kg("env", "--shell", "sh", "MY_VAR=anthropic/default", "OTHER=missing/one")
    assert proc.returncode == 1
    assert proc.stdout.startswith("export MY_VAR='")
    assert "OTHER not set" in proc.stderr


def test_run_masks_streams_and_passes_the_exit_code(kg) -> None:
    kg("set", "anthropic/default", stdin=SECRET)
    proc = kg(
        "run",
        "--secret",
        "ANTHROPIC_API_KEY=anthropic/default",
        "--",
        sys.executable,
        "-c",
        "import os,sys; v=os.environ['ANTHROPIC_API_KEY']; sys.stdout.write('a '+v[:20]);"
        "sys.stdout.flush(); sys.stdout.write(v[20:]+' b\\n'); print('err', v, file=sys.stderr);"
        "sys.exit(5)",
    )
    assert proc.returncode == 5
    assert proc.stdout == "a [REDACTED:ANTHROPIC_API_KEY] b\n"
    assert proc.stderr == "err [REDACTED:ANTHROPIC_API_KEY]\n"
    unmasked = kg(
        "run", "--no-mask", "--secret", "K_KEY=anthropic/default", "--", "printenv", "K_KEY"
    )
    assert unmasked.stdout == SECRET + "\n"


def test_run_masks_the_value_base64_encoded_and_a_fragment_cut_from_it(kg) -> None:
    value = "run-value-" + os.urandom(16).hex()  # 42 characters, new each run
    kg("set", "demo/default", stdin=value)
    script = (
        "import base64,os,sys; v=os.environ['K_KEY']; "
        "print('auth', base64.b64encode(v.encode()).decode()); "
        "print('cut', v[15:27], 'short'); print('eleven', v[15:26], file=sys.stderr)"
    )
    proc = kg("run", "--secret", "K_KEY=demo/default", "--", sys.executable, "-c", script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "auth [REDACTED:K_KEY]\ncut [REDACTED:K_KEY] short\n"
    assert proc.stderr == f"eleven {value[15:26]}\n"  # a run shorter than 12 is left alone


def test_run_refuses_protected_variables(kg) -> None:
    kg("set", "anthropic/default", stdin=SECRET)
    proc = kg("run", "--secret", "PATH=anthropic/default", "--", "true")
    assert proc.returncode == 2 and "protected" in proc.stderr


def test_run_resolves_references_in_an_env_file(kg, tmp_path: Path) -> None:
    kg("set", "anthropic/default", stdin=SECRET)
    (tmp_path / ".env").write_text(
        "# app\nexport ANTHROPIC_API_KEY=keyguard://anthropic/default\nMODE='debug'\n"
    )
    proc = kg(
        "run",
        "--env-file",
        ".env",
        "--no-mask",
        "--",
        "sh",
        "-c",
        'test "$ANTHROPIC_API_KEY" = "$EXPECT" && echo "$MODE"',
        extra={"EXPECT": SECRET},
    )
    assert proc.returncode == 0 and proc.stdout == "debug\n"


def test_run_forwards_signals(kg, tmp_path: Path) -> None:
    kg("set", "anthropic/default", stdin=SECRET)
    marker = tmp_path / "got-term"
    child = f"trap 'touch {marker}; exit 42' TERM; echo ready; while :; do sleep 0.05; done"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "keyguard",
            "run",
            "--secret",
            "ANTHROPIC_API_KEY=anthropic/default",
            "--",
            "sh",
            "-c",
            child,
        ],
        stdout=subprocess.PIPE,
        env=kg.env,
        cwd=tmp_path,
    )
    assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
    time.sleep(0.2)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 42
    proc.stdout.close()
    assert marker.exists()


def test_mcp_stdio_output_is_byte_identical(kg, tmp_path: Path) -> None:
    server = tmp_path / "server.py"
    server.write_text(
        "import sys, json\n"
        "for line in sys.stdin:\n"
        "    req = json.loads(line)\n"
        "    body = json.dumps({'jsonrpc': '2.0', 'id': req['id'], 'result': {'ok': True}})\n"
        "    sys.stdout.write(body + '\\n'); sys.stdout.flush()\n"
    )
    kg("set", "anthropic/default", stdin=SECRET)
    requests = "".join(
        json.dumps({"jsonrpc": "2.0", "id": i, "method": "ping"}) + "\n" for i in range(5)
    )
    plain = subprocess.run(
        [sys.executable, str(server)], input=requests, capture_output=True, text=True
    )
    wrapped = kg(
        "run",
        "--secret",
        "ANTHROPIC_API_KEY=anthropic/default",
        "--",
        sys.executable,
        str(server),
        stdin=requests,
    )
    assert wrapped.returncode == 0 and wrapped.stdout == plain.stdout and wrapped.stderr == ""


def test_passphrase_vault_from_the_environment(kg) -> None:
    extra = {"KEYGUARD_PASSPHRASE": "a long passphrase"}
    assert kg("set", "anthropic/default", stdin=SECRET, extra=extra).returncode == 0
    assert kg("get", "anthropic/default", extra=extra).stdout == SECRET + "\n"
    wrong = kg("get", "anthropic/default", extra={"KEYGUARD_PASSPHRASE": "nope"})
    assert wrong.returncode == 1 and "wrong passphrase" in wrong.stderr
    assert "passphrase (scrypt)" in kg("doctor", extra=extra).stdout


def test_auto_falls_back_to_the_file_vault_with_a_notice(kg) -> None:
    extra = {"KEYGUARD_BACKEND": "auto", "DBUS_SESSION_BUS_ADDRESS": ""}
    doctor = kg("doctor", extra=extra)
    assert "backend:         file, chosen by auto (from KEYGUARD_BACKEND): no OS keychain" in (
        doctor.stdout
    )
    assert kg("set", "anthropic/default", stdin=SECRET, extra=extra).returncode == 0


def test_system_only_refuses_without_a_keychain(kg) -> None:
    proc = kg(
        "set",
        "anthropic/default",
        "--backend",
        "system-only",
        stdin=SECRET,
        extra={"DBUS_SESSION_BUS_ADDRESS": ""},
    )
    assert proc.returncode == 1 and "no OS keychain" in proc.stderr


def test_the_secret_service_from_the_command_line(kg, secret_service: dict[str, str]) -> None:
    extra = {**secret_service, "KEYGUARD_BACKEND": "system"}
    assert kg("set", "anthropic/cli", "--replace", stdin=SECRET, extra=extra).returncode == 0
    assert kg("get", "anthropic/cli", extra=extra).stdout == SECRET + "\n"
    listed = json.loads(kg("list", "--json", extra=extra).stdout)["secrets"]
    assert [s["name"] for s in listed] == [
        "anthropic/cli"
    ]  # from the manifest: keyring cannot list
    assert "SecretService" in kg("doctor", extra=extra).stdout
    assert kg("remove", "anthropic/cli", extra=extra).returncode == 0


def test_run_releases_a_held_prefix_after_a_short_silence(kg, tmp_path: Path) -> None:
    kg("set", "anthropic/default", stdin=SECRET)
    child = "import sys,time; sys.stdout.write('prompt> sk-ant'); sys.stdout.flush(); time.sleep(2)"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "keyguard",
            "run",
            "--secret",
            "ANTHROPIC_API_KEY=anthropic/default",
            "--",
            sys.executable,
            "-c",
            child,
        ],
        stdout=subprocess.PIPE,
        env=kg.env,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    received = b""
    deadline = time.monotonic() + 1.5  # well before the child's 2 s sleep ends
    while time.monotonic() < deadline and not received.endswith(b"sk-ant"):
        chunk = proc.stdout.read()
        received += chunk or b""
        time.sleep(0.01)
    assert received == b"prompt> sk-ant"  # an interactive prompt is not held back
    proc.wait(10)
    proc.stdout.close()


def test_set_prompts_without_echo_on_a_terminal(kg, tmp_path: Path) -> None:
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child: keyguard with the pty as its controlling terminal
        os.chdir(tmp_path)
        os.execve(
            sys.executable, [sys.executable, "-m", "keyguard", "set", "anthropic/tty"], kg.env
        )
    answers = {
        b"(not shown): ": SECRET.encode(),
        b"again: ": SECRET.encode(),
        b"unlocks it): ": b"",
    }  # the new vault file: no passphrase, the machine key
    transcript = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        transcript += chunk
        for prompt, answer in list(answers.items()):
            if transcript.endswith(prompt):
                os.write(fd, answer + b"\n")
                del answers[prompt]
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, transcript
    assert SECRET.encode() not in transcript  # typed, never echoed
    assert kg("get", "anthropic/tty").stdout == SECRET + "\n"
