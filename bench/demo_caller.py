"""What the gateway benches share: the local Cognito pool on moto, the Lambdas' settings for
it, and the demo analyst signed in (a real id token, as the console sends)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3

from api_lambdas.settings import LambdaSettings
from datahubctl.cognito import sign_in
from datahubctl.local.cognito import DEMO_ANALYST, ensure_local_cognito

REGION = "us-east-1"


@dataclass(frozen=True)
class DemoCaller:
    """The Authorizer's settings and the token of the signed-in demo analyst."""

    settings: LambdaSettings
    id_token: str
    session: Any  # boto3.Session on moto, for any other set-up (IAM principals)

    def client(self, service: str) -> Any:
        """A boto3 client of ``service`` on the same moto."""
        return self.session.client(
            service, region_name=REGION, endpoint_url=self.settings.aws_endpoint_url
        )


def demo_caller(moto_url: str) -> DemoCaller:
    """Set up the local pool on moto (idempotently) and sign the demo analyst in."""
    session = boto3.Session(aws_access_key_id="bench", aws_secret_access_key="bench")
    cognito = session.client("cognito-idp", region_name=REGION, endpoint_url=moto_url)
    pool = ensure_local_cognito(cognito)
    settings = LambdaSettings(
        aws_endpoint_url=moto_url,
        cognito_user_pool_id=pool.user_pool_id,
        cognito_client_ids=[pool.client_id],
    )
    signed = sign_in(
        cognito,
        client_id=pool.client_id,
        username=DEMO_ANALYST.username,
        password=DEMO_ANALYST.password,
    )
    return DemoCaller(settings, signed.id_token.get_secret_value(), session)
