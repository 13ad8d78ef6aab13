"""Signed requests: an HMAC over method, path, body digest, caller identity and timestamp.

Callers (the GraphQL Lambdas, the CLI) sign with the service key; the service verifies the
signature and takes the caller's identity from the signed header, never from anything unsigned.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping

from pydantic import ValidationError

from cdk_service.errors import Unauthenticated
from cdk_service.identity import Identity

IDENTITY_HEADER = "X-Datahub-Identity"
TIMESTAMP_HEADER = "X-Datahub-Timestamp"
SIGNATURE_HEADER = "X-Datahub-Signature"
SIGNATURE_VERSION = "v1"


def encode_identity(identity: Identity) -> str:
    """The identity header value: URL-safe base64 of canonical JSON."""
    payload = {"user": identity.user, "groups": sorted(identity.groups)}
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def decode_identity(value: str) -> Identity:
    """Parse an identity header value; raises Unauthenticated when it is malformed."""
    try:
        return Identity.model_validate_json(base64.urlsafe_b64decode(value.encode()))
    except (ValueError, ValidationError) as error:
        raise Unauthenticated("the identity header is malformed", code="bad_identity") from error


def signature(
    key: bytes, *, method: str, path: str, body: bytes, identity: str, timestamp: str
) -> str:
    """The signature header value for one request."""
    message = "\n".join(
        [method.upper(), path, hashlib.sha256(body).hexdigest(), identity, timestamp]
    ).encode()
    return f"{SIGNATURE_VERSION}={hmac.new(key, message, hashlib.sha256).hexdigest()}"


def sign(key: bytes, *, method: str, path: str, body: bytes, identity: Identity) -> dict[str, str]:
    """Headers that authenticate one request as ``identity``."""
    encoded = encode_identity(identity)
    timestamp = str(int(time.time()))
    return {
        IDENTITY_HEADER: encoded,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(
            key, method=method, path=path, body=body, identity=encoded, timestamp=timestamp
        ),
    }


def verify(
    key: bytes,
    *,
    method: str,
    path: str,
    body: bytes,
    headers: Mapping[str, str],
    window_seconds: int,
    now: float | None = None,
) -> Identity:
    """The caller's identity if the request is signed with ``key`` inside the time window."""
    identity = headers.get(IDENTITY_HEADER)
    timestamp = headers.get(TIMESTAMP_HEADER)
    given = headers.get(SIGNATURE_HEADER)
    if not (identity and timestamp and given):
        raise Unauthenticated("this request is not signed", code="unsigned_request")
    if not timestamp.isdigit() or abs((now or time.time()) - int(timestamp)) > window_seconds:
        raise Unauthenticated(
            f"the request timestamp is outside the {window_seconds} s window",
            code="stale_request",
        )
    expected = signature(
        key, method=method, path=path, body=body, identity=identity, timestamp=timestamp
    )
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise Unauthenticated("the request signature does not match", code="bad_signature")
    return decode_identity(identity)
