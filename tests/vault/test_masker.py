from __future__ import annotations

import random

from keyguard.vault.masker import StreamMasker

SECRET = b"sk-test-" + b"Q7w9Zr2Lk4Vb8Xn1Mc6Hd3Tf"


def _run(masker: StreamMasker, chunks: list[bytes]) -> bytes:
    return b"".join(masker.feed(c) for c in chunks) + masker.flush()


def test_a_value_split_across_reads_is_masked() -> None:
    data = b"start " + SECRET + b" end\n"
    for cut in range(1, len(data)):
        out = _run(StreamMasker({"K": SECRET}), [data[:cut], data[cut:]])
        assert out == b"start [REDACTED:K] end\n", cut


def test_output_without_secrets_passes_byte_for_byte_and_at_once() -> None:
    rng = random.Random(1)
    masker = StreamMasker({"K": SECRET})
    for _ in range(200):
        chunk = bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 300))).replace(b"s", b"")
        assert masker.feed(chunk) == chunk  # no 's' means nothing can start the secret
    framed = b'Content-Length: 27\r\n\r\n{"jsonrpc":"2.0","id":1}\n'
    assert masker.feed(framed) == framed


def test_only_a_possible_prefix_is_held_and_released_at_a_newline() -> None:
    masker = StreamMasker({"K": SECRET})
    assert masker.feed(b"abc sk-te") == b"abc "
    holding = [masker.holding]
    assert masker.feed(b"xt\n") == b"sk-text\n"
    holding.append(masker.holding)
    assert holding == [True, False]
    assert masker.feed(b"tail sk") == b"tail "
    assert masker.flush() == b"sk"


def test_many_values_longest_first() -> None:
    short, long = b"abcdefgh12345678", b"abcdefgh12345678-and-more"
    masker = StreamMasker({"S": short, "L": long})
    assert _run(masker, [b"x " + long + b" " + short + b"\n"]) == b"x [REDACTED:L] [REDACTED:S]\n"
