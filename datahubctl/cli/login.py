"""``datahubctl login``: sign in to the Cognito user pool and keep the id token for API calls."""

from __future__ import annotations

import os
from pathlib import Path

import click

from cdk_service.settings import Settings
from datahubctl.cli import console, main
from datahubctl.cognito import cognito_client, sign_in
from datahubctl.local.cognito import SignInTarget, remembered_local_pool
from service_contract.errors import InvalidInput, UpstreamFailure

TOKEN_FILE = "id-token"


def sign_in_target(settings: Settings) -> SignInTarget:
    """The configured app client, else the local pool ``datahubctl up`` recorded."""
    if settings.cognito_client_id:
        return SignInTarget(
            region=settings.default_region,
            client_id=settings.cognito_client_id,
            endpoint_url=settings.aws_endpoint_url,
        )
    target = remembered_local_pool(settings.state_dir)
    if target is None:
        raise InvalidInput(
            "no user pool to sign in to: set DATAHUB_COGNITO_CLIENT_ID, or run `datahubctl up`",
            code="no_user_pool",
        )
    return target


def store_token(state_dir: Path, token: str) -> Path:
    """Writes the token readable by its owner only (mode 0600, also over an older file)."""
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / TOKEN_FILE
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(token)
    return path


@main.command()
@click.option("--username", prompt=True, help="Your user name in the pool")
@click.option("--password", prompt=True, hide_input=True, help="Prompted for when not given")
@click.pass_context
def login(ctx: click.Context, username: str, password: str) -> None:
    """Sign in (Cognito USER_PASSWORD_AUTH) and store the id token in the state directory."""
    settings: Settings = ctx.obj
    target = sign_in_target(settings)
    client = cognito_client(target.region, target.endpoint_url)
    try:
        signed = sign_in(client, client_id=target.client_id, username=username, password=password)
    except UpstreamFailure as error:
        if settings.cognito_client_id:  # a pool on AWS: its error says it all
            raise
        raise UpstreamFailure(
            f"{error.message} (the local pool is on the moto server of `datahubctl up`: is it "
            "running?)",
            code=error.code,
        ) from None
    path = store_token(settings.state_dir, signed.id_token.get_secret_value())
    minutes = signed.expires_in // 60
    console.print(f"signed in as {username}; id token (valid {minutes} min) stored in {path}")
