"""The Authorizer's matrix with real tokens from moto's Cognito and tokens crafted from them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import jwt
import pytest

from api_lambdas.authorizer.handler import Authorizer
from api_lambdas.settings import LambdaSettings
from datahubctl.local.cognito import DEMO_ADMIN, DEMO_ANALYST, LocalCognito
from tests.api_lambdas.authorizer.conftest import METHOD_ARN, Decide, effect
from tests.cognito import TokenForge, Tokens, now, tampered, unsigned


def reason(policy: dict[str, object]) -> object:
    """Why a Deny was given (kept in the context for the logs)."""
    assert effect(policy) == "Deny"
    return policy["context"]["reason"]  # type: ignore[index]


def test_a_team_members_id_token_is_allowed_on_the_whole_api(decide: Decide, tokens: Tokens):
    policy = decide(tokens.id_token(DEMO_ANALYST))

    assert effect(policy) == "Allow"
    assert policy["principalId"] == "demo-analyst"
    assert policy["context"] == {"user": "demo-analyst", "groups": "analytics"}
    resource = policy["policyDocument"]["Statement"][0]["Resource"]
    assert resource == "arn:aws:execute-api:us-east-1:123456789012:api0123456/local/*/*"


def test_an_admin_carries_the_admins_group(decide: Decide, tokens: Tokens):
    assert decide(tokens.id_token(DEMO_ADMIN))["context"]["groups"] == "admins"


def test_the_bearer_prefix_is_optional_as_with_cognito_authorizers(decide: Decide, tokens: Tokens):
    # Decided (issue #15): API Gateway's own Cognito authorizer takes the raw token, so clients
    # written for it keep working; the prefix proves nothing, the token is verified either way.
    token = tokens.id_token(DEMO_ANALYST)
    for scheme in ("", "Bearer ", "bearer ", "BEARER  "):
        assert effect(decide(token, scheme=scheme)) == "Allow", scheme


@pytest.mark.parametrize("scheme", ["Basic ", "Token ", "Bearer: ", "Bearer Bearer "])
def test_a_token_under_another_scheme_is_denied(decide: Decide, tokens: Tokens, scheme: str):
    assert reason(decide(tokens.id_token(DEMO_ANALYST), scheme=scheme)) == "malformed_token"


def test_a_missing_header_is_denied(decide: Decide):
    assert reason(decide(None)) == "missing_token"
    assert reason(decide("", scheme="Bearer ")) == "missing_token"


def test_garbage_is_denied(decide: Decide):
    assert reason(decide("not.a.jwt")) == "malformed_token"


def test_an_expired_token_is_denied(decide: Decide, tokens: Tokens, token_forge: TokenForge):
    expired = token_forge.resign(
        tokens.id_token(DEMO_ANALYST), iat=now() - 3700, auth_time=now() - 3700, exp=now() - 100
    )
    assert reason(decide(expired)) == "expired"


def test_a_token_just_past_expiry_passes_within_the_leeway(
    decide: Decide, tokens: Tokens, token_forge: TokenForge
):
    just_expired = token_forge.resign(tokens.id_token(DEMO_ANALYST), exp=now() - 5)
    assert effect(decide(just_expired)) == "Allow"


def test_a_token_not_yet_valid_is_denied(decide: Decide, tokens: Tokens, token_forge: TokenForge):
    future = token_forge.resign(tokens.id_token(DEMO_ANALYST), nbf=now() + 600)
    assert reason(decide(future)) == "not_yet_valid"


def test_a_token_issued_in_the_future_is_denied(
    decide: Decide, tokens: Tokens, token_forge: TokenForge
):
    issued_later = token_forge.resign(
        tokens.id_token(DEMO_ANALYST), iat=now() + 600, exp=now() + 4200
    )
    assert reason(decide(issued_later)) == "not_yet_valid"


def test_another_pools_issuer_is_denied(decide: Decide, tokens: Tokens, token_forge: TokenForge):
    other = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_someoneelse"
    assert reason(decide(token_forge.resign(tokens.id_token(DEMO_ANALYST), iss=other))) == (
        "wrong_issuer"
    )


def test_a_token_without_expiry_is_denied(decide: Decide, tokens: Tokens, token_forge: TokenForge):
    forever = token_forge.resign(tokens.id_token(DEMO_ANALYST), exp=None)
    assert reason(decide(forever)) == "missing_claim"


def test_another_audience_is_denied(decide: Decide, tokens: Tokens, token_forge: TokenForge):
    other = token_forge.resign(tokens.id_token(DEMO_ANALYST), aud="some-other-client")
    assert reason(decide(other)) == "wrong_audience"


def test_a_real_token_of_another_app_client_of_the_pool_is_denied(
    decide: Decide, cognito: LocalCognito, cognito_admin: Any
):
    client = cognito_admin
    other_app = client.create_user_pool_client(
        UserPoolId=cognito.user_pool_id,
        ClientName="someone-elses-app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    answer = client.initiate_auth(
        ClientId=other_app,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": DEMO_ANALYST.username, "PASSWORD": DEMO_ANALYST.password},
    )
    assert reason(decide(answer["AuthenticationResult"]["IdToken"])) == "wrong_audience"


def test_alg_none_is_denied(decide: Decide, tokens: Tokens):
    assert reason(decide(unsigned(tokens.id_token(DEMO_ANALYST)))) == "wrong_algorithm"


def test_hs256_signed_with_the_pools_public_key_is_denied(
    decide: Decide, tokens: Tokens, token_forge: TokenForge
):
    # PyJWT refuses to sign HS256 with a PEM key, so the attack is built by hand.
    claims = jwt.decode(tokens.id_token(DEMO_ADMIN), options={"verify_signature": False})
    parts = [{"alg": "HS256", "typ": "JWT", "kid": "dummy"}, claims]
    encoded = b".".join(
        base64.urlsafe_b64encode(json.dumps(p).encode()).rstrip(b"=") for p in parts
    )
    mac = hmac.new(token_forge.public_pem(), encoded, hashlib.sha256).digest()
    forged = b".".join([encoded, base64.urlsafe_b64encode(mac).rstrip(b"=")]).decode()

    assert reason(decide(forged)) == "wrong_algorithm"


def test_an_unknown_key_id_is_denied(decide: Decide, tokens: Tokens, token_forge: TokenForge):
    foreign = token_forge.resign(
        tokens.id_token(DEMO_ANALYST), key=token_forge.stranger_key, kid="not-the-pools"
    )
    assert reason(decide(foreign)) == "unknown_key"


def test_the_pools_key_id_over_a_strangers_signature_is_denied(
    decide: Decide, tokens: Tokens, token_forge: TokenForge
):
    forged = token_forge.resign(tokens.id_token(DEMO_ANALYST), key=token_forge.stranger_key)
    assert reason(decide(forged)) == "bad_signature"


def test_a_tampered_payload_is_denied(decide: Decide, tokens: Tokens):
    promoted = tampered(tokens.id_token(DEMO_ANALYST), **{"cognito:groups": ["admins"]})
    assert reason(decide(promoted)) == "bad_signature"


def test_an_access_token_where_an_id_token_is_required_is_denied(decide: Decide, tokens: Tokens):
    _, access = tokens.signed_in(DEMO_ANALYST)
    assert reason(decide(access)) == "wrong_token_use"


def test_access_tokens_when_configured_name_their_client(
    lambda_settings: LambdaSettings, tokens: Tokens, token_forge: TokenForge
):
    access_only = Authorizer(lambda_settings.model_copy(update={"cognito_token_use": "access"}))
    id_token, access = tokens.signed_in(DEMO_ANALYST)
    other_client = token_forge.resign(access, client_id="some-other-client")

    assert effect(access_only({"methodArn": METHOD_ARN, "headers": {"authorization": access}})) == (
        "Allow"
    )
    for token, why in [(id_token, "wrong_token_use"), (other_client, "wrong_audience")]:
        policy = access_only({"methodArn": METHOD_ARN, "headers": {"Authorization": token}})
        assert reason(policy) == why


def test_a_group_name_with_a_comma_cannot_smuggle_admins(
    decide: Decide, tokens: Tokens, token_forge: TokenForge
):
    smuggled = token_forge.resign(
        tokens.id_token(DEMO_ANALYST), **{"cognito:groups": ["analytics,admins"]}
    )
    assert reason(decide(smuggled)) == "malformed_token"


def test_unreachable_keys_deny(lambda_settings: LambdaSettings, tokens: Tokens):
    nowhere = lambda_settings.model_copy(
        update={"cognito_jwks_url": "http://127.0.0.1:9/.well-known/jwks.json"}
    )
    policy = Authorizer(nowhere)(
        {"methodArn": METHOD_ARN, "headers": {"Authorization": tokens.id_token(DEMO_ANALYST)}}
    )
    assert reason(policy) == "keys_unavailable"


@pytest.mark.parametrize("event", [{}, {"headers": None}, {"headers": {"Authorization": 42}}])
def test_odd_events_are_denied_without_a_traceback(authorizer: Authorizer, event: dict):
    assert effect(authorizer(event)) == "Deny"
