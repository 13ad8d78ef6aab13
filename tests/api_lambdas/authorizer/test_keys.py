"""The pool's keys: cached, fetched again once for an unknown key id (rotation), not more.

moto serves one fixed key for every pool and cannot rotate it, so rotation is played by a
JWKS endpoint of the test's own on loopback; the tokens are moto's claims re-signed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from api_lambdas.authorizer import handler as authorizer_lambda
from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.settings import LambdaSettings
from datahubctl.local.cognito import DEMO_ANALYST, LocalCognito
from tests.api_lambdas.authorizer.conftest import METHOD_ARN, effect, request_event
from tests.cognito import TokenForge, Tokens


class KeySet:
    """A JWKS endpoint whose keys the test changes, counting how often it is read."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.reads = 0

    def add(self, kid: str) -> Any:
        """A new RSA key published under ``kid``; its private half."""
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
        self.keys[kid] = {**public, "kid": kid, "alg": "RS256", "use": "sig"}
        return private


@pytest.fixture
def key_set() -> Iterator[tuple[KeySet, str]]:
    """The endpoint and its URL."""
    keys = KeySet()

    class Serve(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            keys.reads += 1
            body = json.dumps({"keys": list(keys.keys.values())}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Serve)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield keys, f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    finally:
        server.shutdown()


def authorize(authorizer: Authorizer, token: str) -> dict[str, Any]:
    """The policy for a bearer token."""
    return authorizer(request_event(f"Bearer {token}"))


def test_a_rotated_key_is_fetched_once_and_then_served_from_the_cache(
    key_set: tuple[KeySet, str],
    lambda_settings: LambdaSettings,
    tokens: Tokens,
    token_forge: TokenForge,
):
    keys, url = key_set
    first = keys.add("first")
    settings = lambda_settings.model_copy(
        update={"cognito_jwks_url": url, "jwks_refresh_cooldown_seconds": 0}
    )
    authorizer = Authorizer(settings)
    real = tokens.id_token(DEMO_ANALYST)

    assert effect(authorize(authorizer, token_forge.resign(real, key=first, kid="first"))) == (
        "Allow"
    )
    assert keys.reads == 1
    second = keys.add("second")
    rotated = token_forge.resign(real, key=second, kid="second")
    assert [effect(authorize(authorizer, rotated)) for _ in range(3)] == ["Allow"] * 3
    assert keys.reads == 2


def test_unknown_key_ids_do_not_refetch_within_the_cooldown(
    key_set: tuple[KeySet, str],
    lambda_settings: LambdaSettings,
    tokens: Tokens,
    token_forge: TokenForge,
):
    keys, url = key_set
    keys.add("first")
    authorizer = Authorizer(lambda_settings.model_copy(update={"cognito_jwks_url": url}))
    real = tokens.id_token(DEMO_ANALYST)
    stranger = token_forge.stranger_key

    for attempt in range(5):
        forged = token_forge.resign(real, key=stranger, kid=f"made-up-{attempt}")
        assert authorize(authorizer, forged)["context"]["reason"] == "unknown_key"
    assert keys.reads == 1


def test_the_lambda_entry_point_reads_its_pool_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, cognito: LocalCognito, moto_url: str, tokens: Tokens
):
    for name, value in cognito.lambda_environment(moto_url).items():
        monkeypatch.setenv(name, value)
    authorizer_lambda._authorizer.cache_clear()
    try:
        policy = authorizer_lambda.handler(request_event(tokens.id_token(DEMO_ANALYST)), None)
    finally:
        authorizer_lambda._authorizer.cache_clear()
    assert effect(policy) == "Allow"
    assert policy["policyDocument"]["Statement"][0]["Resource"].startswith(METHOD_ARN[:40])
