"""Signing in to a Cognito user pool with a username and password (``USER_PASSWORD_AUTH``)."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.exceptions import ClientError, EndpointConnectionError
from pydantic import BaseModel, ConfigDict, SecretStr

from service_contract.errors import Unauthenticated, UpstreamFailure

REFUSED = {"NotAuthorizedException", "UserNotFoundException", "PasswordResetRequiredException"}


class SignedIn(BaseModel):
    """The tokens of one sign-in (secret: they never reach a log or a repr)."""

    model_config = ConfigDict(frozen=True)

    id_token: SecretStr
    access_token: SecretStr
    expires_in: int


def aws_client(service: str, region: str, endpoint_url: str | None = None) -> Any:
    """A boto3 client, on moto when ``endpoint_url`` is set.

    Against moto any credentials do: when the machine has none, dummies are used (sign-in is
    an unsigned call, but botocore wants credentials to exist).
    """
    session = boto3.Session()
    if endpoint_url and session.get_credentials() is None:
        session = boto3.Session(aws_access_key_id="local", aws_secret_access_key="local")
    return session.client(service, region_name=region, endpoint_url=endpoint_url)


def cognito_client(region: str, endpoint_url: str | None = None) -> Any:
    """A Cognito user pools client (on moto when ``endpoint_url`` is set)."""
    return aws_client("cognito-idp", region, endpoint_url)


def sign_in(client: Any, *, client_id: str, username: str, password: str) -> SignedIn:
    """The tokens for ``username``; ``Unauthenticated`` for a wrong username or password."""
    try:
        answer = client.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
    except ClientError as error:
        code = error.response["Error"]["Code"]
        if code in REFUSED:
            raise Unauthenticated("wrong username or password", code="sign_in_refused") from None
        raise UpstreamFailure(f"Cognito refused the sign-in: {code}") from None
    except EndpointConnectionError as error:
        raise UpstreamFailure(f"Cognito cannot be reached: {error}") from None
    if "AuthenticationResult" not in answer:
        challenge = answer.get("ChallengeName", "unknown")
        raise Unauthenticated(
            f"the pool asks for a challenge this command does not answer: {challenge}",
            code="sign_in_challenge",
        )
    result = answer["AuthenticationResult"]
    return SignedIn(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        expires_in=result["ExpiresIn"],
    )
