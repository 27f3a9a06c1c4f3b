"""Small immutable records without the import cost of dataclasses or typing.

The scanner's records are built on every commit by the pre-commit hook, where importing
``dataclasses`` and ``typing`` would cost more than the scan.  A subclass lists its fields in
``__slots__`` (in ``__init__`` order), annotates them, and ends ``__init__`` with
``fill(self, locals())``.
"""

from __future__ import annotations

from collections.abc import Mapping

TYPE_CHECKING = False  # typing is not imported at run time
if TYPE_CHECKING:
    from typing_extensions import Self


class Record:
    __slots__: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use _replace()")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Record)
            and type(self) is type(other)
            and (self._values() == other._values())
        )

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), self._values())

    def _replace(self, **changes: object) -> Self:
        values = {name: getattr(self, name) for name in self.__slots__}
        values.update(changes)
        return type(self)(**values)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


def fill(record: Record, values: Mapping[str, object]) -> None:
    """Set every slot of ``record`` from ``values`` (an ``__init__``'s ``locals()``)."""
    for name in record.__slots__:
        object.__setattr__(record, name, values[name])
