"""The contract every vault backend passes, keyguard's own and plug-ins' alike.

Mix :class:`BackendContract` into a pytest test class and give it a ``backend`` fixture that
returns the backend over an empty store; pytest then runs every contract test against it::

    from keyguard.testing.backend import BackendContract

    class TestMyBackend(BackendContract):
        @pytest.fixture
        def backend(self, tmp_path):
            return MyBackend(tmp_path / "store")

Needs pytest (a test dependency, never imported by keyguard itself).
"""

from __future__ import annotations

import pytest

from keyguard.vault.backends._base import Backend

DIFFICULT = [
    "plain-ascii-value-123",
    "with spaces and 'quotes' and \"double\" and $dollar and `ticks`",
    "ünïcödé-✓-ключ-鍵",
    "line one\nline two\n",
    "x" * 4096,
]


class BackendContract:
    """Subclasses provide a ``backend`` fixture with an empty store.  Names used start with
    ``contract/``; values are str, multi-line and non-ASCII ones included."""

    @pytest.fixture
    def backend(self) -> Backend:  # pragma: no cover - replaced by each subclass
        raise NotImplementedError

    def test_missing_is_none(self, backend: Backend) -> None:
        assert backend.get("contract/missing") is None

    @pytest.mark.parametrize("value", DIFFICULT, ids=range(len(DIFFICULT)))
    def test_round_trip(self, backend: Backend, value: str) -> None:
        backend.set("contract/value", value)
        assert backend.get("contract/value") == value

    def test_replace_keeps_previous_for_rollback(self, backend: Backend) -> None:
        backend.set("contract/rotating", "first-value-0001")
        backend.set("contract/rotating", "second-value-0002")
        assert backend.get("contract/rotating") == "second-value-0002"
        assert backend.rollback("contract/rotating") is True
        assert backend.get("contract/rotating") == "first-value-0001"

    def test_rollback_without_previous(self, backend: Backend) -> None:
        assert backend.rollback("contract/never") is False
        backend.set("contract/once", "only-value-0001")
        assert backend.rollback("contract/once") is False

    def test_delete(self, backend: Backend) -> None:
        backend.set("contract/gone", "value-to-delete-1")
        assert backend.delete("contract/gone") is True
        assert backend.get("contract/gone") is None
        assert backend.delete("contract/gone") is False

    def test_names_are_isolated(self, backend: Backend) -> None:
        backend.set("contract/a", "value-a-00000001")
        backend.set("contract/b", "value-b-00000002")
        assert backend.get("contract/a") == "value-a-00000001"
        names = backend.names()
        if names is not None:
            assert {"contract/a", "contract/b"} <= set(names)

    def test_repr_shows_no_value(self, backend: Backend) -> None:
        backend.set("contract/secret", "do-not-show-me-42")
        assert "do-not-show-me-42" not in repr(backend) + backend.describe()
