"""Signed requests: an HMAC over method, target, body digest, caller identity and timestamp.

Callers (the GraphQL Lambdas, the CLI) sign with the service key; the service verifies the
signature and takes the caller's identity from the signed header, never from anything unsigned.
Both sides sign the request target in one canonical form (``canonical_target``), since HTTP
libraries re-escape a URL as they send and receive it (``'`` and ``%27`` name the same query).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, unquote

from pydantic import ValidationError

from service_contract.errors import Unauthenticated
from service_contract.identity import Identity

IDENTITY_HEADER = "X-Datahub-Identity"
TIMESTAMP_HEADER = "X-Datahub-Timestamp"
SIGNATURE_HEADER = "X-Datahub-Signature"
SIGNATURE_VERSION = "v1"
# Seconds since the epoch in ASCII digits: str.isdigit() also admits "²" and Arabic-Indic digits.
TIMESTAMP = re.compile(r"[0-9]{1,12}")


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


def canonical_target(target: str) -> str:
    """A request target (path, then ``?`` and the query) as it is signed: each path segment and
    query key and value decoded once, then escaped one way (all but RFC 3986's unreserved
    characters), the pairs sorted. Two targets give the same text when they mean the same:
    ``a%2Fb`` stays one segment, ``%26`` stays inside its value."""
    path, _, query = target.partition("?")
    canonical = "/".join(quote(unquote(segment), safe="") for segment in path.split("/"))
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    if pairs:
        canonical += "?" + "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    return canonical


def signature(
    key: bytes, *, method: str, path: str, body: bytes, identity: str, timestamp: str
) -> str:
    """The signature header value for one request to ``path`` (a target, query included)."""
    message = "\n".join(
        [
            method.upper(),
            canonical_target(path),
            hashlib.sha256(body).hexdigest(),
            identity,
            timestamp,
        ]
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
    if (
        not TIMESTAMP.fullmatch(timestamp)
        or abs((now or time.time()) - int(timestamp)) > window_seconds
    ):
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
