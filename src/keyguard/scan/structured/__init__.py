"""Where a finding sits in a chat export or an agent transcript, said as a person would.

The byte scan finds the keys (and their exact line and column) as in any file; for files these
annotators recognise, a second pass runs only when the file has findings and names, for each,
the conversation and message (or transcript record) holding it, with a JSON pointer.  The
second pass streams too: one conversation or one line in memory at a time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import MutableSequence

from keyguard.scan.finding import Finding
from keyguard.scan.finding import ScanError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO
    from typing import Protocol
else:
    Protocol = object

Opener = Callable[[], "BinaryIO"]  # opens the file (or the archive member) from its start


class Annotator(Protocol):
    source: str

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        """Replace each finding's ``location``; raise ``Truncated`` at a break in the file
        (the findings before it stay annotated)."""
        ...


_INI_NAMES = (".pypirc", ".npmrc", ".gitconfig", ".s3cfg", ".boto", "pip.conf",
              "pip.ini", ".pgservice.conf")  # fmt: skip


def kind(path: str) -> str | None:
    """What the structure pass reads ``path`` as, by its name alone (None: nothing)."""
    normalized = path.replace("\\", "/")
    name = normalized.rsplit("/", 1)[-1].lower()
    if ("/chatSessions/" in normalized or "/emptyWindowChatSessions/" in normalized) and (
        name.endswith((".json", ".jsonl"))
    ):
        return "vscode-chat"
    if "/tasks/" in normalized and name in ("api_conversation_history.json", "ui_messages.json"):
        return "cline"
    if ".claude" in normalized and any(f"/{folder}/" in normalized for folder in (
            "paste-cache", "file-history", "shell-snapshots")):  # fmt: skip
        return "claude-code-file"
    if name.startswith(".claude.json."):  # backups and corrupted copies of ~/.claude.json
        return "json"
    if (name.startswith("rollout-") and name.endswith(".json") and "/.codex/" in normalized) or (
        name.startswith("session-") and name.endswith(".json") and "/.gemini/" in normalized
    ):
        return "session-document"
    if name.endswith(".jsonl"):
        return "jsonl"
    if name == "chat.html":
        return "chatgpt-html"
    if name in ("conversations.json", "projects.json"):
        return "export"
    if name.endswith((".json", ".jsonc")):
        return "json"
    if name.endswith((".yaml", ".yml")) or (name == "config" and "/.kube/" in normalized):
        return "yaml"
    if name.endswith(".toml"):
        return "toml"
    if (name.endswith((".ini", ".cfg")) or name in _INI_NAMES
            or (name in ("credentials", "config") and "/.aws/" in normalized)
            or normalized.endswith("/.git/config")):  # fmt: skip
        return "ini"
    from keyguard.errors import KeyguardError
    from keyguard.migrate.rewriters import rewriter_for

    try:
        rewriter_for(path)
    except KeyguardError:
        return None
    return "variables"


def read_whole(open_: Opener, limit: int) -> bytes | None:
    """The file's bytes, or None when it is larger than ``limit`` (then it is data to stream,
    or too large to name places in: its findings keep line and column)."""
    with open_() as stream:
        data = stream.read(limit + 1)
    return None if len(data) > limit else data


def annotator_for(path: str, open_: Opener, hint: str | None = None) -> Annotator | None:
    """By ``hint`` (a ``--format-hint``), or by name and content: the first 64 KiB of a JSON
    file say whether it is a chat export, whatever its name."""
    found = hint if hint is not None else kind(path)
    if found in ("export", "json"):
        with open_() as stream:
            head = stream.read(1 << 16)
        found = _sniff(path, head) or ("json" if found == "json" else None)
    if found is None:
        return None
    if found in ("claude-export", "chatgpt-export", "claude-projects", "chatgpt-html"):
        from keyguard.scan.structured import exports

        return {"claude-export": exports.ClaudeExport, "chatgpt-export": exports.ChatGptExport,
                "claude-projects": exports.ClaudeProjects,
                "chatgpt-html": exports.ChatGptHtml}[found]()  # fmt: skip
    if found in ("jsonl", "session-document"):
        from keyguard.scan.structured import transcripts

        return (transcripts.JsonLines if found == "jsonl" else transcripts.SessionDocument)(path)
    if found in ("vscode-chat", "cline", "claude-code-file"):
        from keyguard.scan.structured import agents

        stores: dict[str, type[agents.VsCodeChat | agents.ClineTask | agents.ClaudeCodeFile]] = {
            "vscode-chat": agents.VsCodeChat, "cline": agents.ClineTask,
            "claude-code-file": agents.ClaudeCodeFile}  # fmt: skip
        return stores[found](path)
    if found in ("yaml", "toml", "ini", "variables"):
        from keyguard.scan.structured import keypaths

        configs: dict[str, Annotator] = {"yaml": keypaths.YamlConfig(),
                                         "toml": keypaths.TomlConfig(),
                                         "ini": keypaths.IniConfig(path),
                                         "variables": keypaths.Variables(path)}  # fmt: skip
        return configs[found]
    if found == "json":
        from keyguard.scan.structured.configs import JsonConfig

        return JsonConfig(path)
    return None


def _sniff(path: str, head: bytes) -> str | None:
    """A chat export by its content: the keys only its conversations have."""
    start = head.lstrip()[:1]
    if start not in (b"[", b"{"):
        return None
    if os.path.basename(path) == "projects.json" and (
        b'"docs"' in head or b'"prompt_template"' in head
    ):
        return "claude-projects"
    if b'"chat_messages"' in head:
        return "claude-export"
    if b'"mapping"' in head and (b'"current_node"' in head or b'"create_time"' in head):
        return "chatgpt-export"
    return None


def annotate(
    path: str,
    findings: MutableSequence[Finding],
    open_: Opener | None = None,
    hint: str | None = None,
) -> ScanError | None:
    """Annotate ``findings`` (all from ``path``) in place; an error for a broken file.
    ``open_`` reads an archive member; by default the file at ``path`` is opened."""
    from keyguard.scan.structured.jsonitems import Truncated

    opener: Opener = open_ or (lambda: open(path, "rb"))  # noqa: SIM115 - the caller closes it
    try:
        annotator = annotator_for(path, opener, hint)
        if annotator is not None:
            annotator.annotate(opener, findings)
    except Truncated as exc:
        return ScanError(path, f"{exc} (findings before it are reported)")
    except OSError as exc:
        return ScanError(path, f"cannot read: {exc.strerror}")
    return None


# What an unexpected shape in a store raises while it is being described: the stores are
# undocumented and change, so a finding then keeps its pointer, line and column only.
SHAPE_ERRORS = (
    TypeError,
    AttributeError,
    KeyError,
    IndexError,
    ValueError,
    RecursionError,
    ArithmeticError,
)


def epoch(stamp: object) -> str:
    """ISO date-time of a millisecond (or second) epoch stamp; '' when it is not one."""
    if isinstance(stamp, str) and stamp.isascii() and stamp.isdigit():
        stamp = int(stamp)
    if not isinstance(stamp, (int, float)) or isinstance(stamp, bool) or stamp <= 0:
        return str(stamp) if isinstance(stamp, str) else ""
    seconds = stamp / 1000 if stamp > 1e11 else stamp
    import datetime

    try:
        return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).isoformat()
    except (OverflowError, OSError, ValueError):
        return ""


def tolerant(describe: Callable[..., dict[str, object]], *args: object) -> dict[str, object]:
    """``describe(*args)``, or nothing when the record is not shaped as expected."""
    try:
        return describe(*args)
    except SHAPE_ERRORS:
        return {}


def owner(item: object, raw: bytes, value: bytes, offset: int) -> dict[str, str]:
    """Where, inside ``item``, the occurrence of ``value`` that starts at byte ``offset`` of
    ``raw`` (the item's own bytes) sits: ``pointer``, the JSON pointer of the string holding
    it (the k-th occurrence in the bytes is the k-th in the strings, walked in document
    order), and ``inner_pointer`` when that string is itself JSON (Codex ``arguments``, a
    stringified tool result) and the key sits in one of its strings."""
    k = raw.count(value, 0, offset)
    text = _unescape(value)
    for pointer, string in _strings(item, ""):
        n = string.count(text)
        if k < n:
            place = {"json_pointer": pointer}
            inner = _inner(string, text, k)
            if inner:
                place["inner_json_pointer"] = inner
            return place
        k -= n
    return {}


INNER_LIMIT = 1 << 20  # longer strings are not parsed again


def _inner(string: str, text: str, k: int) -> str | None:
    head = string.lstrip()[:1]
    if head not in ("{", "[") or len(string) > INNER_LIMIT:
        return None
    import json

    try:
        nested = json.loads(string)
    except (ValueError, RecursionError):
        return None
    for pointer, inner in _strings(nested, ""):
        n = inner.count(text)
        if k < n:
            return pointer
        k -= n
    return None


def _unescape(value: bytes) -> str:
    """The text of a value as it reads in a JSON string (it may be written with escapes)."""
    text = value.decode("utf-8", "replace")
    if "\\" in text:
        import json

        try:
            decoded = json.loads(f'"{text}"')
        except ValueError:
            return text
        return decoded if isinstance(decoded, str) else text
    return text


def _strings(node: object, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield pointer, node
    elif isinstance(node, dict):
        for key, value in node.items():
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            yield from _strings(value, f"{pointer}/{escaped}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{pointer}/{i}")
