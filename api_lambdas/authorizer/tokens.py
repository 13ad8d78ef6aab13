"""Verification of a Cognito JWT: RS256 only, pool key, issuer, client, token use, lifetime."""

from __future__ import annotations

from typing import Any

import jwt
from pydantic import ValidationError

from api_lambdas.settings import LambdaSettings
from service_contract.errors import Unauthenticated
from service_contract.identity import Identity

ALGORITHM = "RS256"
REQUIRED_CLAIMS = ["exp", "iat", "iss", "sub", "token_use"]


class TokenRejected(Unauthenticated):
    """A token that does not prove who is calling; ``code`` says why."""


class CognitoTokens:
    """Checks tokens of one user pool; keys come from its JWKS, cached and refreshed on rotation."""

    def __init__(self, settings: LambdaSettings) -> None:
        self.settings = settings
        self.issuer = settings.issuer()
        self.keys = jwt.PyJWKClient(
            settings.jwks_url(),
            lifespan=settings.jwks_cache_seconds,
            cooldown_duration=settings.jwks_refresh_cooldown_seconds,
            timeout=5,
        )

    def verify(self, token: str) -> Identity:
        """The caller a valid token names; ``TokenRejected`` for anything else."""
        key = self._signing_key(token)
        claims = self._claims(token, key)
        return _caller(claims)

    def _signing_key(self, token: str) -> jwt.PyJWK:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.DecodeError:
            raise TokenRejected("the token is not a JWT", code="malformed_token") from None
        if header.get("alg") != ALGORITHM:
            # Decided before any key is used: "none" and HMAC over a public key never get near it.
            raise TokenRejected("the token is not signed with RS256", code="wrong_algorithm")
        try:
            return self.keys.get_signing_key(str(header.get("kid")))
        except jwt.PyJWKClientConnectionError:
            raise TokenRejected(
                "the pool's keys cannot be fetched", code="keys_unavailable"
            ) from None
        except jwt.PyJWKClientError:
            raise TokenRejected("the token's key is not the pool's", code="unknown_key") from None

    def _claims(self, token: str, key: jwt.PyJWK) -> dict[str, Any]:
        settings = self.settings
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                leeway=settings.jwt_leeway_seconds,
                options={"require": REQUIRED_CLAIMS, "verify_aud": False},
            )
        except jwt.InvalidTokenError as error:
            raise _rejection(error) from None
        if claims["token_use"] != settings.cognito_token_use:
            raise TokenRejected(
                f"an {settings.cognito_token_use} token is required", code="wrong_token_use"
            )
        client = claims.get("aud") if claims["token_use"] == "id" else claims.get("client_id")
        if client not in settings.cognito_client_ids:
            raise TokenRejected("the token was issued to another client", code="wrong_audience")
        return claims


def _rejection(error: jwt.InvalidTokenError) -> TokenRejected:
    """The rejection for one of PyJWT's failures (most specific classes first)."""
    reasons: list[tuple[type[jwt.InvalidTokenError], str, str]] = [
        (jwt.ExpiredSignatureError, "expired", "the token has expired"),
        (jwt.ImmatureSignatureError, "not_yet_valid", "the token is not valid yet"),
        (jwt.InvalidIssuerError, "wrong_issuer", "the token was issued by another pool"),
        (jwt.InvalidSignatureError, "bad_signature", "the token's signature does not verify"),
        (jwt.MissingRequiredClaimError, "missing_claim", f"the token lacks a claim: {error}"),
    ]
    for kind, code, message in reasons:
        if isinstance(error, kind):
            return TokenRejected(message, code=code)
    return TokenRejected("the token is malformed", code="malformed_token")


def _caller(claims: dict[str, Any]) -> Identity:
    """User and groups of verified claims (id tokens name ``cognito:username``)."""
    user = claims.get("cognito:username") or claims.get("username") or claims["sub"]
    groups = claims.get("cognito:groups") or []
    if any("," in str(group) for group in groups):
        # The context carries groups comma-separated: "x,admins" must not read as admins.
        raise TokenRejected("a group name holds a comma", code="malformed_token")
    try:
        return Identity(user=user, groups=frozenset(groups))
    except ValidationError:
        raise TokenRejected("the token names no usable user", code="malformed_token") from None
