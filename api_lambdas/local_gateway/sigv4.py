"""AWS Signature Version 4 checked as API Gateway's IAM authorization does, for local runs.

The signature is recomputed with botocore's own signer over the headers the caller says it
signed, so the algorithm is AWS's; the request must be scoped to ``execute-api`` in the
gateway's region and signed within five minutes of now.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.auth import SIGV4_TIMESTAMP, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cdk_service.errors import Unauthenticated

SERVICE = "execute-api"
WINDOW = timedelta(minutes=5)
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


def verify(
    request: SignedRequest, principals: Mapping[str, IamPrincipal], region: str, now: datetime
) -> IamPrincipal:
    """The principal that signed ``request``; ``SignatureRejected`` for anything else."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    if "authorization" not in headers:
        raise SignatureRejected("Missing Authentication Token", code="missing_signature")
    parsed = AUTHORIZATION.match(headers["authorization"].strip())
    if parsed is None:
        raise SignatureRejected(
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
            "parameters.",
            code="malformed_signature",
        )
    access_key, date, scope = _scope(parsed["credential"], region)
    signed_at = _timestamp(headers, date, now)
    principal = principals.get(access_key)
    if principal is None:
        raise SignatureRejected(
            "The security token included in the request is invalid.", code="unknown_access_key"
        )
    expected = _signature(request, headers, parsed["signed"], principal, scope, signed_at)
    if not hmac.compare_digest(expected, parsed["signature"]):
        raise SignatureRejected(
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method.",
            code="signature_mismatch",
        )
    return principal


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


def _timestamp(headers: Mapping[str, str], date: str, now: datetime) -> str:
    """The signed ``X-Amz-Date``, within five minutes of ``now`` and on the scope's date."""
    stamp = headers.get("x-amz-date", "")
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
    if when < late:
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
    signed: str,
    principal: IamPrincipal,
    scope: tuple[str, str],
    signed_at: str,
) -> str:
    """botocore's signature over exactly the headers named as signed, and the body as received."""
    names = signed.split(";")
    if "host" not in names or any(name not in headers for name in names):
        return ""  # AWS requires host to be signed; a named header must be present
    claimed_digest = headers.get("x-amz-content-sha256")
    if claimed_digest is not None and claimed_digest != hashlib.sha256(request.body).hexdigest():
        return ""  # the body is always signed: no UNSIGNED-PAYLOAD, no digest of another body
    aws_request: Any = AWSRequest(
        method=request.method,
        url=request.url,
        headers={name: headers[name] for name in names},
        data=request.body,
    )
    aws_request.context["timestamp"] = signed_at
    region, service = scope
    credentials = Credentials(principal.access_key_id, principal.secret_access_key)
    signer = SigV4Auth(credentials, service, region)
    canonical = signer.canonical_request(aws_request)
    if signer.signed_headers(signer.headers_to_sign(aws_request)) != signed:
        return ""  # botocore never signs some headers (user-agent, expect...): not AWS's either
    return str(signer.signature(signer.string_to_sign(aws_request, canonical), aws_request))


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
