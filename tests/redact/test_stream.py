"""The streaming masker of ``keyguard run``: a Redactor's known values in a byte stream."""

from __future__ import annotations

import base64
import random

from keyguard.redact.redactor import Redactor
from keyguard.redact.stream import StreamMasker

SECRET = b"sk-test-" + b"Q7w9Zr2Lk4Vb8Xn1Mc6Hd3Tf"


def StreamMasker_(values: dict[str, bytes]) -> StreamMasker:  # noqa: N802 - reads as the class
    redactor = Redactor({k: v.decode() for k, v in values.items()}, patterns=False)
    return StreamMasker(redactor)


def _run(masker: StreamMasker, chunks: list[bytes]) -> bytes:
    return b"".join(masker.feed(c) for c in chunks) + masker.flush()


def test_a_value_split_across_reads_is_masked() -> None:
    data = b"start " + SECRET + b" end\n"
    for cut in range(1, len(data)):
        out = _run(StreamMasker_({"K": SECRET}), [data[:cut], data[cut:]])
        assert out == b"start [REDACTED:K] end\n", cut


def test_output_without_secrets_passes_byte_for_byte_and_at_once() -> None:
    rng = random.Random(1)
    masker = StreamMasker_({"K": SECRET})
    # Any character of the value (a fragment), or of its encodings, can start a known form:
    # none of them means nothing can start the secret.
    alphabet = bytes(sorted(set(range(256)) - set(b"".join(Redactor({"K": SECRET.decode()},
                     patterns=False).forms()))))  # fmt: skip
    assert len(alphabet) > 150
    for _ in range(200):
        chunk = bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 300)))
        assert masker.feed(chunk) == chunk
    framed = b'Content-Length: 27\r\n\r\n{"jsonrpc":"2.0","id":1}\n'
    assert masker.feed(framed) == framed


def test_only_a_possible_prefix_is_held_and_released_at_a_newline() -> None:
    masker = StreamMasker_({"K": SECRET})
    assert masker.feed(b"abc sk-te") == b"abc "
    holding = [masker.holding]
    assert masker.feed(b"xt\n") == b"sk-text\n"
    holding.append(masker.holding)
    assert holding == [True, False]
    assert masker.feed(b"tail sk") == b"tail "
    assert masker.flush() == b"sk"


def test_many_values_longest_first() -> None:
    short, long = b"abcdefgh12345678", b"abcdefgh12345678-and-more"
    masker = StreamMasker_({"S": short, "L": long})
    assert _run(masker, [b"x " + long + b" " + short + b"\n"]) == b"x [REDACTED:L] [REDACTED:S]\n"


def test_an_encoded_value_split_across_reads_is_masked() -> None:
    encoded = base64.b64encode(SECRET)
    data = b'{"auth": "' + encoded + b'"}\n'
    whole = Redactor({"K": SECRET.decode()}, patterns=False).redact_bytes(data)
    assert whole.startswith(b'{"auth": "[REDACTED:K]') and encoded[:-4] not in whole
    for cut in range(1, len(data)):
        out = _run(StreamMasker_({"K": SECRET}), [data[:cut], data[cut:]])
        assert out == whole, cut


def test_a_fragment_of_twelve_characters_is_masked_even_when_split() -> None:
    fragment = SECRET[14:26]  # neither the head nor the tail: a value cut short on both sides
    data = b"got ..." + fragment + b"... from the server\n"
    for cut in range(1, len(data)):
        out = _run(StreamMasker_({"K": SECRET}), [data[:cut], data[cut:]])
        assert out == b"got ...[REDACTED:K]... from the server\n", cut
    eleven = b"got " + SECRET[14:25] + b" only\n"
    assert _run(StreamMasker_({"K": SECRET}), [eleven]) == eleven  # shorter runs are text


def test_a_held_head_of_a_value_is_masked_on_flush() -> None:
    masker = StreamMasker_({"K": SECRET})
    assert masker.feed(b"x " + SECRET[:20]) == b"x "  # it could still grow into the value
    assert masker.flush() == b"[REDACTED:K]"  # cut short, its fragments still give it away
