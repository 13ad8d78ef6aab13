"""The Authorizer's matrix end to end: each bad token sent over HTTP to the local gateway.

The real Authorizer decides (the reasons are checked in ``tests/api_lambdas/authorizer``); here
what a client sees: 403 with API Gateway's message, 401 with no header, and the Backend never
runs. A real token of the same user is the control.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable

import jwt
import pytest

from datahubctl.local.cognito import DEMO_ANALYST
from tests.cognito import TokenForge, Tokens, now, tampered, unsigned
from tests.datahubctl.gateway.conftest import Gateway, graphql

QUERY = graphql("{ me { user } }")
Forge = Callable[[str, Tokens, TokenForge], str]
OTHER_ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_someoneelse"


def hs256_over_the_public_key(token: str, forge: TokenForge) -> str:
    """The algorithm confusion attack, built by hand (PyJWT refuses to sign it)."""
    claims = jwt.decode(token, options={"verify_signature": False})
    parts = [{"alg": "HS256", "typ": "JWT", "kid": "dummy"}, claims]
    encoded = b".".join(
        base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=") for p in parts
    )
    mac = hmac.new(forge.public_pem(), encoded, hashlib.sha256).digest()
    return b".".join([encoded, base64.urlsafe_b64encode(mac).rstrip(b"=")]).decode()


BAD_TOKENS: dict[str, Forge] = {
    "expired": lambda t, _, f: f.resign(
        t, iat=now() - 4000, auth_time=now() - 4000, exp=now() - 300
    ),
    "not_yet_valid": lambda t, _, f: f.resign(t, nbf=now() + 600),
    "wrong_issuer": lambda t, _, f: f.resign(t, iss=OTHER_ISSUER),
    "wrong_audience": lambda t, _, f: f.resign(t, aud="some-other-client"),
    "alg_none": lambda t, _, f: unsigned(t),
    "hs256_with_the_public_key": lambda t, _, f: hs256_over_the_public_key(t, f),
    "unknown_key_id": lambda t, _, f: f.resign(t, key=f.stranger_key, kid="not-the-pools"),
    "tampered_payload": lambda t, _, f: tampered(t, **{"cognito:groups": ["admins"]}),
    "access_token": lambda _, tokens, f: tokens.signed_in(DEMO_ANALYST)[1],
}


async def test_the_users_real_token_gets_through(gateway: Gateway, tokens: Tokens):
    headers = {"Authorization": f"Bearer {tokens.id_token(DEMO_ANALYST)}"}
    async with gateway.http.post("/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 200
    assert len(gateway.backend.events) == 1


@pytest.mark.parametrize("case", BAD_TOKENS)
async def test_a_bad_token_is_403_and_the_backend_never_runs(
    gateway: Gateway, tokens: Tokens, token_forge: TokenForge, case: str
):
    token = BAD_TOKENS[case](tokens.id_token(DEMO_ANALYST), tokens, token_forge)
    headers = {"Authorization": f"Bearer {token}"}
    async with gateway.http.post("/graphql", data=QUERY, headers=headers) as response:
        assert response.status == 403
        assert await response.json() == {
            "message": "User is not authorized to access this resource"
        }
    assert gateway.backend.events == []


async def test_no_header_is_401_and_the_backend_never_runs(gateway: Gateway):
    async with gateway.http.post("/graphql", data=QUERY) as response:
        assert response.status == 401
    assert gateway.backend.events == []
