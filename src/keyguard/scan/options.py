"""How to scan: the options a ``Scanner`` is built from, as frozen data."""

from __future__ import annotations

from keyguard.record import Record
from keyguard.record import fill

TYPE_CHECKING = False
if TYPE_CHECKING:
    from keyguard.scan.rules import Rule

BLOCK = 8 << 20  # bytes matched at once; larger files are read block by block


class ScanOptions(Record):
    """How to scan.  ``max_file_size``: skip larger files with a notice (None scans any size
    in bounded memory); ``jobs``: worker processes, 0 picks by the amount of work;
    ``baseline_salt``: salt the baseline fingerprints with it; ``honour_allow``: respect inline
    ``keyguard: allow`` and peers' directives; ``format_hint``: read every file as this
    kind (see ``keyguard.formats.kinds.HINTS``) instead of telling by name and content."""

    __slots__ = (
        "rules", "fingerprint_key", "engine", "max_file_size", "jobs", "block",
        "baseline_salt", "honour_allow", "format_hint",
    )  # fmt: skip
    rules: tuple[Rule, ...]
    fingerprint_key: bytes
    engine: str
    max_file_size: int | None
    jobs: int
    block: int
    baseline_salt: bytes | None
    honour_allow: bool
    format_hint: str | None

    def __init__(
        self,
        rules: tuple[Rule, ...],
        fingerprint_key: bytes,
        engine: str = "auto",
        max_file_size: int | None = None,
        jobs: int = 0,
        block: int = BLOCK,
        baseline_salt: bytes | None = None,
        honour_allow: bool = True,
        format_hint: str | None = None,
    ) -> None:
        fill(self, locals())

    def __repr__(self) -> str:  # the keys stay out of reprs
        return f"ScanOptions({len(self.rules)} rules, engine={self.engine!r}, jobs={self.jobs})"
