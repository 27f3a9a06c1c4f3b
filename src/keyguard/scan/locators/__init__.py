"""Locators: where a finding sits in a chat export, a transcript or a config, said as a person
would.

The byte scan finds the keys (and their exact line and column) as in any file; for the kinds
of file that have a locator (the ``locator`` of their row in ``keyguard.formats.kinds``), a
second pass runs when the file has findings and names, for each, the conversation and message
(or transcript record, key path, variable) holding it.  The second pass streams too: one
conversation or one line in memory at a time.  This module holds what locators share.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import MutableSequence

from keyguard.scan.finding import Finding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO
    from typing import Protocol
else:
    Protocol = object

Opener = Callable[[], "BinaryIO"]  # opens the file (or the archive member) from its start


class Locator(Protocol):
    """Names the place of each finding in one kind of file; built with the file's path."""

    source: str

    def annotate(self, open_: Opener, findings: MutableSequence[Finding]) -> None:
        """Replace each finding's ``location``; raise ``Truncated`` at a break in the file
        (the findings before it stay annotated)."""
        ...


class Truncated(Exception):
    """The JSON ends or breaks at byte ``offset``; the items before it were yielded."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"invalid or truncated JSON at byte {offset}: {reason}")
        self.offset = offset


def read_whole(open_: Opener, limit: int) -> bytes | None:
    """The file's bytes, or None when it is larger than ``limit`` (then it is data to stream,
    or too large to name places in: its findings keep line and column)."""
    with open_() as stream:
        data = stream.read(limit + 1)
    return None if len(data) > limit else data


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
