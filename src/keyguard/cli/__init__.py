"""``keyguard`` command line: one parser, explicit dispatch, one error funnel.

Exit codes (docs/exit-codes.md): 0 clean, 1 findings or an expected error, 2 usage or unreadable
input, 3 files rewritten, 4 an unexpected error (a bug), 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from keyguard import __version__
from keyguard.errors import EXIT_CRASH
from keyguard.errors import EXIT_INTERRUPTED
from keyguard.errors import EXIT_USAGE
from keyguard.errors import KeyguardError

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    import argparse


# Which module defines each command: only the one being run is imported (`keyguard env`
# runs at every shell start, the hook at every commit).
COMMANDS = {
    "scan": "scan",
    "baseline": "baseline",
    "hook": "hook",
    "install-hook": "hook",
    "rules": "rules",
    "redact": "redact",
    "migrate": "migrate",
    **dict.fromkeys(
        ("set", "list", "remove", "rollback", "get", "env", "run", "doctor", "passphrase"),
        "vault",
    ),
}


def _parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    import argparse
    import importlib

    wanted = COMMANDS.get(argv[0]) if argv else None
    modules = [wanted] if wanted else list(dict.fromkeys(COMMANDS.values()))
    parser = argparse.ArgumentParser(
        prog="keyguard",
        description="Keep API keys out of the places people paste them.",
        epilog="Exit codes: 0 clean, 1 findings or an expected error, 2 usage or unreadable "
        "input, 3 files rewritten, 4 internal error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"keyguard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(f"keyguard.cli.{name}").add_parsers(commands)
    return parser


def _fast_hook(argv: Sequence[str]) -> int | None:
    """``keyguard hook pre-commit FILE…`` without building the argument parser.

    The hook runs on every commit; argparse and the other commands' modules cost more than
    the scan of a typical commit.  Anything unusual (an option, --help) takes the full path.
    """
    if len(argv) < 2 or argv[0] != "hook" or argv[1] != "pre-commit":
        return None
    if any(arg.startswith("-") for arg in argv[2:]):
        return None
    from keyguard.hooks.git import pre_commit

    return pre_commit(list(argv[2:]), None, None)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        fast = _fast_hook(arguments)
        if fast is None and arguments[:1] == ["env"]:
            from keyguard.cli.vault import fast_env

            fast = fast_env(arguments[1:])
        if fast is not None:
            return fast
    except KeyguardError as exc:
        print(f"keyguard: error: {exc}", file=sys.stderr)
        return exc.exit_code
    parser = _parser(arguments)
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.run(args)
        return code
    except KeyguardError as exc:
        print(f"keyguard: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("keyguard: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`keyguard scan | head`); stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_USAGE
    except Exception as exc:  # the crash funnel: never print the message, it may hold a value
        if os.environ.get("KEYGUARD_DEBUG") == "1":
            raise
        frame = exc.__traceback__
        while frame is not None and frame.tb_next is not None:
            frame = frame.tb_next
        where = f" at {frame.tb_frame.f_code.co_filename}:{frame.tb_lineno}" if frame else ""
        print(
            f"keyguard: internal error: {type(exc).__name__}{where}. This is a bug; please "
            "report it. KEYGUARD_DEBUG=1 shows the traceback (which may include values).",
            file=sys.stderr,
        )
        return EXIT_CRASH
