"""Scan files and streams: read in bounded blocks, match, and turn matches into findings."""

from __future__ import annotations

import codecs
import io
import os
import sys
import time
from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence

from keyguard.fingerprint import fingerprint
from keyguard.fingerprint import salted_fingerprint
from keyguard.scan import escapes
from keyguard.scan.engine import Match
from keyguard.scan.engine import Matcher
from keyguard.scan.finding import Finding
from keyguard.scan.finding import ScanError
from keyguard.scan.finding import ScanResult
from keyguard.scan.finding import mask
from keyguard.scan.finding import mask_locations
from keyguard.scan.options import ScanOptions
from keyguard.scan.suppress import is_suppressed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO

    from keyguard.scan.sources import Target

SMALL = 1 << 20  # files up to this size are read with a single read()
OVERLAP = 64 << 10  # longer than any rule's longest match, so none is cut in two
SNIFF = 8000  # bytes examined for NUL to call a file binary (git's heuristic)

Progress = Callable[[int, int], None]  # (files done, bytes done)


class Scanner:
    """Holds the compiled matcher; scanning itself keeps no state between inputs."""

    def __init__(self, options: ScanOptions) -> None:
        self.options = options
        self.matcher = Matcher(options.rules, options.engine)

    # -- single inputs ---------------------------------------------------------------------
    def scan_bytes(self, data: bytes, display: str) -> tuple[list[Finding], int]:
        """Findings in one buffer and the number suppressed inline."""
        return self._findings(data, display, self.matcher.scan(data), 0, 1, 0)

    def scan_target(self, target: Target, result: ScanResult | None = None) -> ScanResult:
        """Scan one input into ``result`` (a new one by default); read errors are recorded."""
        result = ScanResult() if result is None else result
        first = len(result.findings)
        self._scan_target(target, result, first)
        if any(f.location for f in result.findings[first:]):
            mask_locations(self.matcher, result.findings, first)
        return result

    def _scan_target(self, target: Target, result: ScanResult, first: int) -> None:
        path = target.path
        hint = self.options.format_hint
        try:
            if path is None:
                self._scan_stream(sys.stdin.buffer, target.display, result)
            elif hint == "vscdb" or (hint is None and path.endswith(".vscdb")):
                from keyguard.scan.sqlite import scan_sqlite

                scan_sqlite(self, path, target.display, result)
                return
            elif hint == "zip" or (hint is None and path.endswith(".zip")):
                from keyguard.scan.archive import scan_zip

                scan_zip(self, path, target.display, result)
                return
            else:
                self._scan_file(target, result)
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            result.errors.append(ScanError(target.display, f"cannot read: {reason}"))
        if path is None or hint == "plain":
            return
        if hint is None and path.endswith(
            ("fish_variables", ".git-credentials", "config.json", ".npmrc", "config")
        ):
            from keyguard.scan import decoded

            if decoded.wants(path):
                decoded.scan_views(self, path, target.display, result, first)
        if hint is not None or annotates(path, len(result.findings) > first):
            self._annotate(path, target.display, result, first, hint=hint)

    @staticmethod
    def _annotate(path: str, display: str, result: ScanResult, first: int,
                  opener: Callable[[], BinaryIO] | None = None,
                  hint: str | None = None) -> None:  # fmt: skip
        """Chat exports and transcripts: name the conversation and message of each finding."""
        from keyguard.scan import structured

        found = result.findings[first:]
        error = structured.annotate(path, found, opener, hint)
        result.findings[first:] = found
        if error is not None:
            result.errors.append(ScanError(display, error.message))

    def _scan_file(self, target: Target, result: ScanResult) -> None:
        assert target.path is not None
        fd = os.open(target.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            size = target.size if target.size >= 0 else os.fstat(fd).st_size
            limit = self.options.max_file_size
            if limit is not None and size > limit:
                result.stats.skipped_large += 1
                result.errors.append(
                    ScanError(
                        target.display, f"skipped: {size} bytes is over --max-file-size", False
                    )
                )
                return
            if size <= SMALL:
                # One read for the common case: a small text file.
                data = os.read(fd, size + 1)
                if len(data) <= size:
                    self._scan_whole(data, target.display, result)
                    return
                rest = os.fdopen(os.dup(fd), "rb")
                with rest:
                    self._scan_stream(rest, target.display, result, data)
                return
            with os.fdopen(os.dup(fd), "rb") as stream:
                self._scan_stream(stream, target.display, result)
        finally:
            os.close(fd)

    def scan_data(
        self,
        data: bytes,
        display: str,
        result: ScanResult,
        location: Mapping[str, object] | None = None,
    ) -> None:
        """Scan an in-memory input (a git blob, say); findings carry ``location``."""
        first = len(result.findings)
        if len(data) <= self.options.block:
            self._scan_whole(data, display, result)
        else:
            self._scan_stream(io.BytesIO(data), display, result)
        if location:
            for i in range(first, len(result.findings)):
                f = result.findings[i]
                result.findings[i] = f._replace(location={**f.location, **location})

    def _scan_whole(self, data: bytes, display: str, result: ScanResult) -> None:
        stats = result.stats
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            data = data.decode("utf-16", "replace").encode("utf-8", "surrogateescape")
        elif b"\0" in data[:SNIFF]:
            stats.skipped_binary += 1
            return
        stats.files += 1
        stats.bytes += len(data)
        matches = self.matcher.scan(data)
        if matches:
            found, suppressed = self._findings(data, display, matches, 0, 1, 0)
            result.findings.extend(found)
            stats.suppressed += suppressed
        if escapes.wanted(display):
            escapes.scan(self, data, display, result, (0, 1, 0), len(data))

    def _scan_stream(
        self, stream: BinaryIO, display: str, result: ScanResult, head: bytes = b""
    ) -> None:
        stats = result.stats
        block = self.options.block
        if len(head) < SNIFF:
            head += stream.read(SNIFF - len(head))
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if b"\0" in head[:SNIFF] and not utf16:
            stats.skipped_binary += 1
            return
        if len(head) < block + OVERLAP:
            head += stream.read(block + OVERLAP - len(head))
        if utf16:
            if len(head) > block:
                stats.skipped_binary += 1  # a UTF-16 file this large is left alone
                return
            head = head.decode("utf-16", "replace").encode("utf-8", "surrogateescape")
        stats.files += 1
        escaped = escapes.wanted(display)
        base, line, carry = 0, 1, 0
        buffer = head
        while True:
            last = len(buffer) <= block
            limit = len(buffer) if last else block
            matches = [m for m in self.matcher.scan(buffer) if m.start < limit]
            found, suppressed = self._findings(buffer, display, matches, base, line, carry)
            result.findings.extend(found)
            stats.suppressed += suppressed
            if escaped:
                escapes.scan(self, buffer, display, result, (base, line, carry), limit)
            if last:
                stats.bytes += base + len(buffer)
                return
            consumed = buffer[:block]
            newline = consumed.rfind(b"\n")
            tail = consumed[newline + 1 :]
            carry = len(tail.decode("utf-8", "replace")) + (carry if newline < 0 else 0)
            line += consumed.count(b"\n")
            base += block
            buffer = buffer[block:] + stream.read(block)

    def _findings(
        self,
        data: bytes,
        display: str,
        matches: Sequence[Match],
        base: int,
        first_line: int,
        carry: int,
    ) -> tuple[list[Finding], int]:
        findings: list[Finding] = []
        suppressed = 0
        key = self.options.fingerprint_key
        salt = self.options.baseline_salt
        for m in matches:
            if self.options.honour_allow and is_suppressed(data, m.start, m.end):
                suppressed += 1
                continue
            secret = data[m.start : m.end]
            line, column = position(data, m.start, first_line, carry)
            end_line, end_column = position(data, m.end, first_line, carry)
            rule = m.rule
            findings.append(
                Finding(
                    rule_id=rule.id,
                    provider=rule.provider,
                    confidence=rule.confidence,
                    description=rule.description,
                    path=display,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    preview=mask(secret, m.public_end - m.start),
                    fingerprint=fingerprint(key, secret),
                    baseline_fingerprint=""
                    if salt is None
                    else salted_fingerprint(salt, rule.id.encode() + b"\0" + secret),
                    remediation=rule.remediation,
                    start_offset=base + m.start,
                    end_offset=base + m.end,
                )
            )
        return findings, suppressed

    # -- many inputs -----------------------------------------------------------------------
    def scan_targets(
        self, targets: Sequence[Target], progress: Progress | None = None
    ) -> ScanResult:
        started = time.perf_counter()
        total = ScanResult()
        jobs = self._jobs(targets)
        if jobs <= 1:
            for i, target in enumerate(targets):
                self.scan_target(target, total)
                if progress is not None:
                    progress(i + 1, total.stats.bytes)
        else:
            from keyguard.scan.parallel import scan_parallel

            for done, part in scan_parallel(self.options, targets, jobs):
                _merge(total, part)
                if progress is not None:
                    progress(done, total.stats.bytes)
            order = {t.display: i for i, t in enumerate(targets)}
            total.findings.sort(key=lambda f: (order.get(f.path, -1), f.start_offset))
            total.errors.sort(key=lambda e: order.get(e.path, -1))
        total.stats.seconds = time.perf_counter() - started
        return total

    def _jobs(self, targets: Sequence[Target]) -> int:
        if self.options.jobs:
            return self.options.jobs
        if len(targets) < 64 or any(t.path is None for t in targets):
            return 1
        # Estimate the total from a sample of sizes rather than stat every file up front.
        step = max(1, len(targets) // SAMPLE)
        sampled = []
        for target in targets[::step]:
            try:
                size = target.size if target.size >= 0 else os.stat(target.path).st_size  # type: ignore[arg-type]
                sampled.append(size)
            except OSError:
                continue
        estimate = sum(sampled) / max(len(sampled), 1) * len(targets)
        return min(os.cpu_count() or 1, 8) if estimate >= PARALLEL_BYTES else 1


PARALLEL_BYTES = 16 << 20  # below this, starting workers costs more than it saves
SAMPLE = 64  # files whose size is read to estimate the total


def annotates(name: str, has_findings: bool) -> bool:
    """Whether the structure pass (``keyguard.scan.structured``) runs on a file: always for a
    chat export, so a broken one is reported; for transcripts and configs only with findings."""
    if name.endswith("conversations.json"):
        return True
    if not has_findings:
        return False
    from keyguard.scan.structured import kind

    return kind(name) is not None


def _merge(total: ScanResult, part: ScanResult) -> None:
    total.findings.extend(part.findings)
    total.errors.extend(part.errors)
    total.stats.add(part.stats)


def position(data: bytes, offset: int, first_line: int, carry: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = first_line + data.count(b"\n", 0, offset)
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    if line_start == 0:
        column += carry
    return line, column
