"""AWS Signature Version 4 checked as API Gateway's IAM authorization does, for local runs.

The signature is recomputed with botocore's own signer over the headers the caller says it
signed, so the algorithm is AWS's; the request must be scoped to ``execute-api`` in the
gateway's region. A signature comes in the ``Authorization`` header (signed within five minutes
of now) or in the query string of a presigned URL (``X-Amz-Signature``, valid from five
minutes before its ``X-Amz-Date`` for its ``X-Amz-Expires`` seconds, at most seven days).
Temporary credentials (an assumed role's session) also carry their session token
(``X-Amz-Security-Token``), which must be the one issued with the key and not expired.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from service_contract.errors import Unauthenticated

SERVICE = "execute-api"
WINDOW = timedelta(minutes=5)
LONGEST_PRESIGNED = timedelta(days=7)
ALGORITHM = "AWS4-HMAC-SHA256"
PRESIGNED = ("X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders")
AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<signature>[0-9a-f]{64})$"
)


@dataclass(frozen=True)
class IamPrincipal:
    """An IAM identity the gateway knows the secret key of, and how API Gateway names it."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    arn: str
    account_id: str
    user_id: str
    session_token: str | None = field(default=None, repr=False)  # temporary credentials only
    expires_at: datetime | None = None

    def identity(self) -> dict[str, str]:
        """The ``requestContext.identity`` fields API Gateway fills in for IAM callers."""
        return {
            "accessKey": self.access_key_id,
            "accountId": self.account_id,
            "caller": self.user_id,
            "user": self.user_id,
            "userArn": self.arn,
        }


class SignatureRejected(Unauthenticated):
    """A request whose signature does not prove its caller; the message is API Gateway's."""


@dataclass(frozen=True)
class SignedRequest:
    """What a signature is checked over."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class _Signature:
    """What the caller says it signed, from the ``Authorization`` header or the query string."""

    credential: str
    signed_headers: str
    signature: str
    timestamp: str
    session_token: str | None
    expires: timedelta | None  # presigned URLs only


def verify(
    request: SignedRequest, principals: Mapping[str, IamPrincipal], region: str, now: datetime
) -> IamPrincipal:
    """The principal that signed ``request``; ``SignatureRejected`` for anything else."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    query = dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))
    given = _presigned(query) if "X-Amz-Signature" in query else _from_header(headers)
    access_key, date, scope = _scope(given.credential, region)
    signed_at = _timestamp(given, date, now)
    principal = principals.get(access_key)
    if principal is None:
        raise SignatureRejected(
            "The security token included in the request is invalid.", code="unknown_access_key"
        )
    _check_session(principal, given.session_token, now)
    expected = _signature(request, headers, given, principal, scope, signed_at)
    if not hmac.compare_digest(expected, given.signature):
        raise SignatureRejected(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
            code="signature_mismatch",
        )
    return principal


def _from_header(headers: Mapping[str, str]) -> _Signature:
    if "authorization" not in headers:
        raise SignatureRejected("Missing Authentication Token", code="missing_signature")
    parsed = AUTHORIZATION.match(headers["authorization"].strip())
    if parsed is None:
        raise SignatureRejected(
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
            "parameters.",
            code="malformed_signature",
        )
    return _Signature(
        credential=parsed["credential"],
        signed_headers=parsed["signed"],
        signature=parsed["signature"],
        timestamp=headers.get("x-amz-date", ""),
        session_token=headers.get("x-amz-security-token"),
        expires=None,
    )


def _presigned(query: Mapping[str, str]) -> _Signature:
    missing = [name for name in ("X-Amz-Algorithm", *PRESIGNED) if not query.get(name)]
    if missing or query["X-Amz-Algorithm"] != ALGORITHM:
        raise SignatureRejected(
            f"AWS query-string parameters missing or wrong: {', '.join(missing) or 'algorithm'}",
            code="malformed_signature",
        )
    expires = query["X-Amz-Expires"]
    if not expires.isdigit() or not 1 <= int(expires) <= LONGEST_PRESIGNED.total_seconds():
        raise SignatureRejected(
            "X-Amz-Expires must be a number of seconds from 1 to 604800 (seven days).",
            code="malformed_signature",
        )
    return _Signature(
        credential=query["X-Amz-Credential"],
        signed_headers=query["X-Amz-SignedHeaders"],
        signature=query["X-Amz-Signature"],
        timestamp=query["X-Amz-Date"],
        session_token=query.get("X-Amz-Security-Token"),
        expires=timedelta(seconds=int(expires)),
    )


def _check_session(principal: IamPrincipal, token: str | None, now: datetime) -> None:
    """Temporary credentials need their own session token; long-term keys take none."""
    if (principal.session_token is None) != (token is None) or not hmac.compare_digest(
        principal.session_token or "", token or ""
    ):
        raise SignatureRejected(
            "The security token included in the request is invalid.",
            code="invalid_security_token",
        )
    if principal.expires_at is not None and now >= principal.expires_at:
        raise SignatureRejected(
            "The security token included in the request is expired",
            code="expired_security_token",
        )


def _scope(credential: str, region: str) -> tuple[str, str, tuple[str, str]]:
    """Access key and date of ``AKID/date/region/service/aws4_request``, checked."""
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise SignatureRejected(
            "Credential should be scoped to a valid region.", code="malformed_signature"
        )
    access_key, date, signed_region, service, _ = parts
    if signed_region != region:
        raise SignatureRejected(
            f"Credential should be scoped to a valid region, not '{signed_region}'.",
            code="wrong_scope",
        )
    if service != SERVICE:
        raise SignatureRejected(
            f"Credential should be scoped to correct service: '{SERVICE}'.", code="wrong_scope"
        )
    return access_key, date, (signed_region, service)


def _timestamp(given: _Signature, date: str, now: datetime) -> str:
    """The signed ``X-Amz-Date``, on the scope's date, and current: within five minutes of
    ``now`` for a header signature, until it expires for a presigned URL."""
    stamp = given.timestamp
    try:
        when = datetime.strptime(stamp, SIGV4_TIMESTAMP).replace(tzinfo=UTC)
    except ValueError:
        raise SignatureRejected(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            code="malformed_signature",
        ) from None
    if stamp[:8] != date:
        raise SignatureRejected(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            "from HTTP.",
            code="wrong_scope",
        )
    late, early = now - WINDOW, now + WINDOW
    if given.expires is not None:
        if now > when + given.expires:
            raise SignatureRejected("Request has expired", code="signature_expired")
    elif when < late:
        raise SignatureRejected(
            f"Signature expired: {stamp} is now earlier than {late:%Y%m%dT%H%M%SZ} "
            f"({now:%Y%m%dT%H%M%SZ} - 5 min.)",
            code="signature_expired",
        )
    if when > early:
        raise SignatureRejected(
            f"Signature not yet current: {stamp} is still later than {early:%Y%m%dT%H%M%SZ} "
            f"({now:%Y%m%dT%H%M%SZ} + 5 min.)",
            code="signature_expired",
        )
    return stamp


def _signature(
    request: SignedRequest,
    headers: Mapping[str, str],
    given: _Signature,
    principal: IamPrincipal,
    scope: tuple[str, str],
    signed_at: str,
) -> str:
    """botocore's signature over exactly the headers named as signed, and the body as received
    (a presigned URL's query string too, all of it but ``X-Amz-Signature``)."""
    signed = given.signed_headers
    names = signed.split(";")
    if "host" not in names or any(name not in headers for name in names):
        return ""  # AWS requires host to be signed; a named header must be present
    claimed_digest = headers.get("x-amz-content-sha256")
    if claimed_digest is not None and claimed_digest != hashlib.sha256(request.body).hexdigest():
        return ""  # the body is always signed: no UNSIGNED-PAYLOAD, no digest of another body
    url = _without_signature(request.url) if given.expires is not None else request.url
    aws_request: Any = AWSRequest(
        method=request.method,
        url=url,
        headers={name: headers[name] for name in names},
        data=request.body,
    )
    aws_request.context["timestamp"] = signed_at
    region, service = scope
    credentials = Credentials(
        principal.access_key_id, principal.secret_access_key, principal.session_token
    )
    signer = SigV4Auth(credentials, service, region)
    canonical = signer.canonical_request(aws_request)
    if signer.signed_headers(signer.headers_to_sign(aws_request)) != signed:
        return ""  # botocore never signs some headers (user-agent, expect...): not AWS's either
    return str(signer.signature(signer.string_to_sign(aws_request, canonical), aws_request))


def _without_signature(url: str) -> str:
    """``url`` without its ``X-Amz-Signature`` parameter, the rest of the query left as sent."""
    parts = urlsplit(url)
    kept = [p for p in parts.query.split("&") if p.partition("=")[0] != "X-Amz-Signature"]
    return urlunsplit(parts._replace(query="&".join(kept)))


def signed_headers(
    url: str,
    body: bytes,
    credentials: Credentials,
    region: str,
    *,
    method: str = "POST",
    service: str = SERVICE,
) -> dict[str, str]:
    """The headers a pipeline sends to the Metadata API, signed by botocore as an SDK signs."""
    request = AWSRequest(
        method=method, url=url, data=body, headers={"Content-Type": "application/json"}
    )
    SigV4Auth(credentials, service, region).add_auth(request)
    return dict(request.headers.items())


def presigned_url(
    url: str,
    credentials: Credentials,
    region: str,
    *,
    expires_seconds: int = 300,
    method: str = "GET",
    service: str = SERVICE,
) -> str:
    """``url`` with a SigV4 signature in its query string, as botocore presigns."""
    request = AWSRequest(method=method, url=url)
    SigV4QueryAuth(credentials, service, region, expires=expires_seconds).add_auth(request)
    return str(request.url)
