"""Cognito for tests: the local pool on moto's server, real sign-ins, and crafted tokens.

moto signs every pool's tokens with one RSA key it ships (kid ``dummy``) and serves its public
half as each pool's JWKS. ``TokenForge`` re-signs real tokens' claims with that same key (or a
stranger's) so the negative cases differ from a real token only in what each test changes.
Registered from ``tests/conftest.py``; nothing here is autouse.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from moto.utilities.utils import load_resource

from api_lambdas.settings import LambdaSettings
from datahubctl.cognito import sign_in
from datahubctl.local.cognito import DEMO_USERS, DemoUser, LocalCognito, ensure_local_cognito

REGION = "us-east-1"
OTHER_TEAM_USER = DemoUser("demo-marketer", "Datahub-demo-marketer-1", ("marketing",))
TEST_USERS = (*DEMO_USERS, OTHER_TEAM_USER)


@pytest.fixture(scope="session")
def cognito_admin(moto_url: str) -> Any:
    """One Cognito client on moto for the run (building a boto3 client takes ~0.3 s)."""
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
    return session.client("cognito-idp", region_name=REGION, endpoint_url=moto_url)


@pytest.fixture(scope="session")
def _pools() -> list[LocalCognito]:
    return []


@pytest.fixture
def cognito(cognito_admin: Any, _pools: list[LocalCognito]) -> LocalCognito:
    """The local pool on moto, set up again when a reset of moto has emptied it."""
    if _pools:
        try:
            cognito_admin.describe_user_pool(UserPoolId=_pools[-1].user_pool_id)
            return _pools[-1]
        except cognito_admin.exceptions.ResourceNotFoundException:
            pass
    _pools.append(ensure_local_cognito(cognito_admin, TEST_USERS))
    return _pools[-1]


@pytest.fixture
def lambda_settings(cognito: LocalCognito, moto_url: str) -> LambdaSettings:
    """The Lambdas' settings for the local pool (id tokens of its app client)."""
    return LambdaSettings(
        aws_region=REGION,
        aws_endpoint_url=moto_url,
        cognito_user_pool_id=cognito.user_pool_id,
        cognito_client_ids=[cognito.client_id],
    )


@dataclass
class Tokens:
    """Real tokens of the local pool's users, by signing in with their passwords."""

    cognito: LocalCognito
    client: Any

    def signed_in(self, user: DemoUser) -> tuple[str, str]:
        """``(id token, access token)`` of ``user``."""
        answer = sign_in(
            self.client,
            client_id=self.cognito.client_id,
            username=user.username,
            password=user.password,
        )
        return answer.id_token.get_secret_value(), answer.access_token.get_secret_value()

    def id_token(self, user: DemoUser) -> str:
        """A real id token of ``user``."""
        return self.signed_in(user)[0]


@pytest.fixture
def tokens(cognito: LocalCognito, cognito_admin: Any) -> Tokens:
    """Signs the test users in."""
    return Tokens(cognito, cognito_admin)


class TokenForge:
    """Tokens made here, for the cases moto never issues (expired, wrong issuer, ...)."""

    def __init__(self) -> None:
        moto_key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json"))
        self.pool_key = moto_key.key
        self.stranger_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def resign(
        self,
        token: str,
        *,
        key: Any = None,
        kid: str = "dummy",
        algorithm: str = "RS256",
        **changes: Any,
    ) -> str:
        """``token``'s claims with ``changes`` (``None`` drops a claim), signed again."""
        claims = jwt.decode(token, options={"verify_signature": False})
        claims.update(changes)
        claims = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(claims, key or self.pool_key, algorithm=algorithm, headers={"kid": kid})

    def public_pem(self) -> bytes:
        """The pool's public key as PEM (what an HS256 confusion attack uses as its secret)."""
        return self.pool_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def unsigned(token: str, **changes: Any) -> str:
    """``alg: none``: the token's claims with no signature at all."""
    claims = {**jwt.decode(token, options={"verify_signature": False}), **changes}
    parts = [{"alg": "none", "typ": "JWT", "kid": "dummy"}, claims]
    encoded = [base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=") for p in parts]
    return b".".join([*encoded, b""]).decode()


def tampered(token: str, **changes: Any) -> str:
    """The token's header and signature around a payload with ``changes``."""
    header, _, signature = token.split(".")
    claims = {**jwt.decode(token, options={"verify_signature": False}), **changes}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


@pytest.fixture(scope="session")
def token_forge() -> TokenForge:
    """Signs claims with moto's pool key or a stranger's."""
    return TokenForge()


def now() -> int:
    """Seconds since the epoch, as JWT times are."""
    return int(time.time())
