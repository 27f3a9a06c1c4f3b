"""``keyguard redact [FILE]``: copy stdin or FILE to stdout with keys masked."""

from __future__ import annotations

import os
import sys
from typing import Any

from keyguard.errors import InputError

BLOCK = 1 << 20
TAIL = 1 << 12  # bytes kept back from a block without a newline: longer than any key


def add_parsers(commands: Any) -> None:
    import argparse

    p: argparse.ArgumentParser = commands.add_parser(
        "redact",
        help="copy stdin or FILE to stdout with keys and known values masked",
        description="Copy standard input (or FILE) to standard output with key patterns masked, "
        "and the values of secret-looking environment variables (and, with --vault, every "
        "vault secret) masked raw, encoded and by fragment. Streams: memory stays flat.",
    )
    p.add_argument("file", nargs="?", help="read this file instead of standard input")
    p.add_argument("--vault", action="store_true", help="also mask every secret in the vault")
    p.add_argument(
        "--no-env",
        action="store_true",
        help="do not mask the values of secret-looking environment variables",
    )
    p.set_defaults(run=run)


def run(args: Any) -> int:
    from keyguard.redact import Redactor
    from keyguard.redact import secrets_in_environment

    redactor = Redactor()
    values: dict[str, str] = {}
    if not args.no_env:
        values.update(secrets_in_environment(os.environ, redactor))
    if args.vault:
        from keyguard.config import read_vault
        from keyguard.vault import open_vault

        vault = open_vault(read_vault(os.environ))
        values.update({name: vault.get(name) for name in vault.names()})
    usable = {}
    for name, value in values.items():
        try:
            redactor.check(value, name)
        except (TypeError, ValueError):
            print(f"keyguard: {name}: not masked (too short or structured)", file=sys.stderr)
            continue
        usable[name] = value
    redactor.update(usable)
    source = sys.stdin.buffer
    if args.file:
        try:
            source = open(args.file, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"{args.file}: cannot read: {exc.strerror}") from None
    out = sys.stdout.buffer
    try:
        pending = b""
        while block := source.read(BLOCK):
            pending += block
            cut = pending.rfind(b"\n") + 1
            if cut == 0:
                cut = max(0, len(pending) - TAIL)  # a huge line: keep a tail for the next block
            if cut:
                out.write(redactor.redact_bytes(pending[:cut]))
                pending = pending[cut:]
        out.write(redactor.redact_bytes(pending))
        out.flush()
    finally:
        if source is not sys.stdin.buffer:
            source.close()
    return 0
