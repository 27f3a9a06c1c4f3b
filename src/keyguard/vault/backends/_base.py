"""The vault backend Protocol: every backend passes the same contract tests."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Protocol
else:
    Protocol = object


class Backend(Protocol):
    """Stores secret values by name.  Values are str; names are ``<provider>/<alias>``.

    ``set`` keeps the value it replaces as the previous version; ``rollback`` makes the
    previous version current again (and the current one previous).  ``names`` returns None
    when the store cannot enumerate (then the manifest is the list).
    """

    name: str
    writable: bool

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> bool: ...

    def names(self) -> list[str] | None: ...

    def rollback(self, name: str) -> bool: ...

    def describe(self) -> str: ...
