"""Vault commands: set, list, remove, rollback, get, env, run, doctor, passphrase.

Values enter through a no-echo prompt, standard input or a named environment variable, never
argv, and leave only through ``get``/``env`` (refused on a terminal) and ``run``.
"""

from __future__ import annotations

import json
import os
import sys

from keyguard.errors import EXIT_FINDINGS
from keyguard.errors import UsageError

TYPE_CHECKING = False  # argparse and typing stay unimported on `keyguard env`'s fast path
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from keyguard.config import VaultConfig
    from keyguard.vault import Vault


def add_parsers(commands: Any) -> None:
    import argparse

    backend_help = "vault backend: auto, system, system-only, file, openbao, env, or a plug-in"

    def command(name: str, help_text: str, run: Any) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = commands.add_parser(
            name, help=help_text, description=help_text
        )
        p.add_argument("--backend", help=backend_help)
        p.set_defaults(run=run)
        return p

    p = command(
        "set", "store a secret (value from a prompt, stdin or --from-env; never argv)", run_set
    )
    p.add_argument("name", help="<provider>/<alias>, for example anthropic/default")
    p.add_argument("--from-env", metavar="VAR", help="take the value from environment variable VAR")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace an existing secret (the old value is kept for rollback)",
    )
    p = command(
        "list", "list secrets: names, backend, dates and fingerprints (never values)", run_list
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p = command("remove", "remove a secret and its previous version", run_remove)
    p.add_argument("name")
    p = command("rollback", "make a secret's previous value current again", run_rollback)
    p.add_argument("name")
    p = command("get", "print one value for a script (refuses a terminal)", run_get)
    p.add_argument("name")
    p = command(
        "env", "print shell assignments for eval in an rc file (refuses a terminal)", run_env
    )
    p.add_argument(
        "pairs",
        nargs="*",
        metavar="VAR=NAME",
        help="variables to set (default: every secret under its conventional variable)",
    )
    p.add_argument("--shell", help="sh, bash, zsh, fish, csh, tcsh or powershell (default: $SHELL)")
    p = command(
        "run", "run a command with secrets in its environment, masked in its output", run_run
    )
    p.add_argument("--secret", action="append", default=[], metavar="VAR=NAME", help="repeatable")
    p.add_argument(
        "--env-file", metavar="FILE", help="KEY=value lines; keyguard://NAME values are resolved"
    )
    p.add_argument("--no-mask", action="store_true", help="do not filter the command's output")
    p.add_argument("argv", nargs=argparse.REMAINDER, metavar="-- CMD…")
    command("doctor", "show which vault backend is used and why, and where files are", run_doctor)
    command(
        "passphrase",
        "change the file vault's passphrase (rewraps only the data key)",
        run_passphrase,
    )


def _config(backend: str | None) -> VaultConfig:
    """The vault configuration, read here, at the edge, once per command."""
    from keyguard.config import read_vault

    return read_vault(os.environ, backend)


def _vault(args: argparse.Namespace) -> Vault:
    from keyguard.vault import open_vault

    return open_vault(_config(args.backend))


def _read_value(args: argparse.Namespace) -> str:
    if args.from_env:
        value = os.environ.get(args.from_env)
        if value is None:
            raise UsageError(f"--from-env {args.from_env}: the variable is not set")
        return value
    if sys.stdin.isatty():
        import getpass

        value = getpass.getpass(f"value for {args.name} (not shown): ")
        if value != getpass.getpass("again: "):
            raise UsageError("the two values differ; nothing was stored")
        return value
    return sys.stdin.read().rstrip("\r\n")


def run_set(args: argparse.Namespace) -> int:
    from keyguard.vault.names import check_name

    check_name(args.name)
    value = _read_value(args)
    vault = _vault(args)
    vault.set(args.name, value, replace=args.replace)
    print(f"keyguard: stored {args.name} in the {vault.backend.name} vault", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    vault = _vault(args)
    rows: list[dict[str, Any]] = []
    for name in vault.names():
        entry = vault.manifest.entries.get(name, {})
        rows.append({"name": name, "backend": vault.backend.name,
                     "created": entry.get("created"), "rotated": entry.get("rotated"),
                     "fingerprint": entry.get("fingerprint")})  # fmt: skip
    if args.json:
        print(json.dumps({"version": 1, "secrets": rows}, indent=2))
        return 0
    if not rows:
        print(f"no secrets in the {vault.backend.name} vault")
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        dates = f"created {str(r['created'] or '?')[:10]}"
        if r["rotated"]:
            dates += f", rotated {str(r['rotated'])[:10]}"
        fp = str(r["fingerprint"] or "?")[:12]
        print(f"{r['name'].ljust(width)}  {r['backend']}  {dates}  fp {fp}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    _vault(args).remove(args.name)
    print(f"keyguard: removed {args.name}", file=sys.stderr)
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    _vault(args).rollback(args.name)
    print(f"keyguard: {args.name} is back to its previous value", file=sys.stderr)
    return 0


def _refuse_tty(what: str) -> None:
    if sys.stdout.isatty():
        raise UsageError(f"refusing to print {what} to a terminal: pipe it, or use it in "
                         "$(…) or eval")  # fmt: skip


def run_get(args: argparse.Namespace) -> int:
    _refuse_tty("a secret")
    value = _vault(args).get(args.name)
    sys.stdout.write(value + "\n")
    return 0


def _pairs(pairs: list[str]) -> list[tuple[str, str]]:
    from keyguard.vault.names import check_env_var
    from keyguard.vault.names import check_name

    out = []
    for pair in pairs:
        var, sep, name = pair.partition("=")
        if not sep:
            raise UsageError(
                f"{pair!r}: expected VAR=NAME, for example ANTHROPIC_API_KEY=anthropic/default"
            )
        out.append((check_env_var(var), check_name(name)))
    return out


def run_env(args: argparse.Namespace) -> int:
    return env_command(args.pairs, args.shell, args.backend)


def fast_env(argv: list[str]) -> int | None:
    """``keyguard env [--shell S] [--backend B] [VAR=NAME…]`` without argparse: it runs at
    every shell start.  Anything else (--help, a typo) returns None for the full parser."""
    options: dict[str, str] = {}
    pairs: list[str] = []
    rest = iter(argv)
    for arg in rest:
        if arg in {"--shell", "--backend"}:
            value = next(rest, None)
            if value is None:
                return None
            options[arg[2:]] = value
        elif arg.startswith(("--shell=", "--backend=")):
            key, _, value = arg[2:].partition("=")
            options[key] = value
        elif arg.startswith("-") or "=" not in arg:
            return None
        else:
            pairs.append(arg)
    return env_command(pairs, options.get("shell"), options.get("backend"))


def env_command(pair_args: list[str], shell_name: str | None, backend: str | None) -> int:
    from keyguard.errors import VaultError
    from keyguard.formats.shells import assignment
    from keyguard.formats.shells import guess_shell
    from keyguard.vault import open_vault
    from keyguard.vault.names import env_for_name

    _refuse_tty("secrets")
    shell = shell_name or guess_shell(os.environ.get("SHELL"))
    vault = open_vault(_config(backend))
    pairs = _pairs(pair_args) or [(env_for_name(n), n) for n in vault.names()]
    lines, failed = [], 0
    for var, name in pairs:
        try:
            lines.append(assignment(shell, var, vault.get(name)))
        except VaultError as exc:
            failed += 1
            print(f"keyguard: {var} not set: {exc}", file=sys.stderr)
    sys.stdout.write("".join(line + "\n" for line in lines))
    return EXIT_FINDINGS if failed else 0


def run_run(args: argparse.Namespace) -> int:
    from keyguard.vault.names import check_env_var
    from keyguard.vault.runner import run

    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    env = dict(os.environ)
    secrets: dict[str, str] = {}
    vault: Vault | None = None
    if args.env_file:
        from keyguard.dotenv import REFERENCE
        from keyguard.dotenv import parse

        with open(args.env_file, encoding="utf-8") as stream:
            for var, value in parse(stream.read(), args.env_file).items():
                if value.startswith(REFERENCE):
                    check_env_var(var)
                    vault = vault or _vault(args)
                    secrets[var] = vault.get(value[len(REFERENCE) :])
                else:
                    env[var] = value
    for var, name in _pairs(args.secret):
        vault = vault or _vault(args)
        secrets[var] = vault.get(name)
    env.update(secrets)
    return run(argv, env, secrets, mask=not args.no_mask)


def run_doctor(args: argparse.Namespace) -> int:
    from keyguard import paths
    from keyguard.entrypoints import entry_points
    from keyguard.errors import KeyguardError
    from keyguard.scan.plugins import GROUP as DETECTORS
    from keyguard.vault import open_backend
    from keyguard.vault.plugins import GROUP as BACKENDS
    from keyguard.vault.records import Manifest

    # The paths are shown even when the user config cannot be read (that is why one asks).
    print(f"data folder:     {paths.data_dir(os.environ)}")
    for label, path in (("user config:", paths.config_file(os.environ)),
                        ("vault file:", paths.vault_file(os.environ))):  # fmt: skip
        print(f"{label:<17}{path}{'' if os.path.exists(path) else ' (none)'}")
    print(f"machine key:     {paths.machine_key(os.environ)}")
    print(f"manifest:        {paths.manifest(os.environ)}")
    print(f"audit log:       {paths.audit_log(os.environ)}")
    bus = os.environ.get("DBUS_SESSION_BUS_ADDRESS") or "none (no Secret Service on Linux)"
    print(f"D-Bus session:   {bus}")
    for label, group in (("rule plug-ins:", DETECTORS), ("vault plug-ins:", BACKENDS)):
        names = [f"{ep.name} ({ep.value})" for ep in entry_points(group)]
        print(f"{label:<17}{', '.join(names) or f'none (entry points {group})'}")
    try:
        config = _config(args.backend)
        backend, why = open_backend(config)
    except KeyguardError as exc:
        print(f"backend:         unavailable: {exc}")
        return EXIT_FINDINGS
    print(f"backend:         {backend.name}, chosen by {why}")
    print(f"                 {backend.describe()}")
    manifest = Manifest(config.manifest)
    listed = backend.names()
    recorded = {n for n, e in manifest.entries.items() if e.get("backend") == backend.name}
    if listed is None:
        missing = sorted(n for n in recorded if backend.get(n) is None)
        extra: list[str] = []
    else:
        missing, extra = sorted(recorded - set(listed)), sorted(set(listed) - recorded)
    print(f"secrets:         {len(listed) if listed is not None else len(recorded)}")
    for name in missing:
        print(
            f"  in the manifest but not in the vault: {name} (`keyguard remove {name}` forgets it)"
        )
    for name in extra:
        print(f"  in the vault but not in the manifest: {name}")
    return EXIT_FINDINGS if missing else 0


def run_passphrase(args: argparse.Namespace) -> int:
    import getpass

    from keyguard.vault.backends.file import FileVault

    config = _config(args.backend)

    new = os.environ.get("KEYGUARD_NEW_PASSPHRASE")
    if new is None:
        if not sys.stdin.isatty():
            raise UsageError("set KEYGUARD_NEW_PASSPHRASE, or run in a terminal to be asked")
        new = getpass.getpass("new passphrase (empty: use this machine's key): ")
        if new != getpass.getpass("again: "):
            raise UsageError("the two passphrases differ; nothing was changed")
    FileVault.from_config(config).change_passphrase(new or None)
    print("keyguard: the vault's data key was rewrapped", file=sys.stderr)
    return 0
