"""Signed requests: who may call the service, and what a tampered or stale request gets."""

from __future__ import annotations

import time

import pytest

from service_contract import signing
from service_contract.errors import Unauthenticated
from service_contract.identity import Identity

KEY = b"test-service-key"
ALICE = Identity(user="alice", groups=frozenset({"analytics"}))


def signed(**overrides: object) -> dict[str, str]:
    request = {"method": "POST", "path": "/v1/synth", "body": b'{"a":1}', "identity": ALICE}
    request.update(overrides)
    return signing.sign(KEY, **request)  # type: ignore[arg-type]


def verify(headers: dict[str, str], **overrides: object) -> Identity:
    request = {"method": "POST", "path": "/v1/synth", "body": b'{"a":1}'}
    request.update(overrides)
    return signing.verify(KEY, headers=headers, window_seconds=300, **request)  # type: ignore[arg-type]


def test_a_signed_request_yields_the_callers_identity() -> None:
    assert verify(signed()) == ALICE


@pytest.mark.parametrize(
    "tampered",
    [{"method": "DELETE"}, {"path": "/v1/templates"}, {"body": b'{"a":2}'}],
    ids=["method", "path", "body"],
)
def test_changing_any_signed_part_breaks_the_signature(tampered: dict[str, object]) -> None:
    with pytest.raises(Unauthenticated) as caught:
        verify(signed(), **tampered)
    assert caught.value.code == "bad_signature"


def test_a_forged_identity_is_rejected() -> None:
    headers = signed()
    headers[signing.IDENTITY_HEADER] = signing.encode_identity(
        Identity(user="alice", groups=frozenset({"admins"}))
    )
    with pytest.raises(Unauthenticated, match="does not match"):
        verify(headers)


def test_a_different_key_is_rejected() -> None:
    headers = signing.sign(
        b"other", method="POST", path="/v1/synth", body=b'{"a":1}', identity=ALICE
    )
    with pytest.raises(Unauthenticated):
        verify(headers)


def test_a_stale_request_is_rejected_even_when_correctly_signed() -> None:
    headers = signed()
    later = time.time() + 301
    with pytest.raises(Unauthenticated) as caught:
        signing.verify(
            KEY,
            method="POST",
            path="/v1/synth",
            body=b'{"a":1}',
            headers=headers,
            window_seconds=300,
            now=later,
        )
    assert caught.value.code == "stale_request"


@pytest.mark.parametrize(
    "missing", [signing.IDENTITY_HEADER, signing.TIMESTAMP_HEADER, signing.SIGNATURE_HEADER]
)
def test_a_missing_header_means_unsigned(missing: str) -> None:
    headers = signed()
    del headers[missing]
    with pytest.raises(Unauthenticated) as caught:
        verify(headers)
    assert caught.value.code == "unsigned_request"
