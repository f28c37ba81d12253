"""Signatures over "<timestamp>.<body>": HMAC-SHA256 and HMAC-SM3; SM3 itself against the
GB/T 32905 test vectors, from OpenSSL and from gmssl alike."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from queue_server.domain import haocha

# GB/T 32905-2016, appendix A.
VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]
SECRET = b"0123456789abcdef-secret"
BODY = b'{"recordId":"h1-abc","alternate":"5"}'


@pytest.mark.parametrize(("message", "digest"), VECTORS)
def test_sm3_matches_the_standard(message: bytes, digest: str) -> None:
    assert haocha.sm3(message).hex() == digest
    assert haocha.sm3_gmssl(message).hex() == digest


def test_openssl_and_gmssl_agree_when_openssl_has_sm3() -> None:
    if "sm3" not in hashlib.algorithms_available:
        pytest.skip("this OpenSSL has no SM3; gmssl alone is used (tested above)")
    for size in (0, 1, 55, 56, 63, 64, 65, 200):
        data = bytes(range(256))[:size] * 3
        assert hashlib.new("sm3", data).digest() == haocha.sm3_gmssl(data)
    assert haocha.hmac_sm3(SECRET * 5, BODY) == hmac.new(SECRET * 5, BODY, "sm3").digest()
    assert haocha.hmac_sm3(SECRET, BODY) == hmac.new(SECRET, BODY, "sm3").digest()


@pytest.mark.parametrize("algorithm", ["hmac-sha256", "hmac-sm3"])
def test_a_signature_verifies_and_a_change_does_not(algorithm: haocha.Algorithm) -> None:
    signature = haocha.sign(algorithm, SECRET, 1764035400, BODY)
    assert len(signature) == 64
    assert haocha.verify(algorithm, SECRET, "1764035400", BODY, signature)
    assert haocha.verify(algorithm, SECRET, "1764035400", BODY, signature.upper())
    assert not haocha.verify(algorithm, SECRET, "1764035401", BODY, signature)
    assert not haocha.verify(algorithm, SECRET, "1764035400", BODY + b" ", signature)
    assert not haocha.verify(algorithm, b"another-secret-0123", "1764035400", BODY, signature)
    assert not haocha.verify(algorithm, SECRET, "soon", BODY, signature)


def test_hmac_sha256_is_the_standard_one() -> None:
    expected = hmac.new(SECRET, b"1764035400." + BODY, hashlib.sha256).hexdigest()
    assert haocha.sign("hmac-sha256", SECRET, 1764035400, BODY) == expected
