"""The web console's sign-in, made as a browser makes it: ``datahubctl up`` prints the
console's address only once it has worked.

A browser on the console's origin (the gateway) signs in with amazon-cognito-identity-js: a
CORS preflight of the Cognito endpoint (moto), then ``InitiateAuth`` with USER_PASSWORD_AUTH,
each answer needing ``Access-Control-Allow-Origin``; then the console reads the Backend API
with the id token, which runs the Authorizer (the pool's JWKS, on moto), the Backend Lambda
and, through it, the service. ``check_sign_in`` sends each of these requests from the console's
origin and raises ``SignInFailed`` naming the first step that failed and why.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from datahubctl.local.cognito import DemoUser

INITIATE_AUTH = "AWSCognitoIdentityProviderService.InitiateAuth"
# The headers amazon-cognito-identity-js sends, which the browser's preflight asks about.
COGNITO_HEADERS = "cache-control,content-type,x-amz-target,x-amz-user-agent"
ME = json.dumps({"query": "{ me { user } }"})
HEALTH_PATH = "/healthz"
HEALTH_POLL_SECONDS = 0.1
SHOWN_CHARACTERS = 300  # of an answer quoted in a failure


class SignInFailed(Exception):
    """A step of the console's sign-in failed: ``step`` says which, the message why."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step


@dataclass(frozen=True)
class ConsoleSignIn:
    """Where the console signs in: its origin, the Cognito endpoint and app client it names in
    ``/config.json``, and the Backend API it reads."""

    origin: str
    cognito_endpoint: str
    client_id: str
    graphql_url: str


@asynccontextmanager
async def step(name: str) -> AsyncIterator[None]:
    """What goes wrong inside, a refused connection or a malformed answer, as ``SignInFailed``."""
    try:
        yield
    except SignInFailed:
        raise
    except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as error:
        raise SignInFailed(name, f"{type(error).__name__}: {error}") from error


async def service_answering(http: aiohttp.ClientSession, service_url: str, seconds: float) -> None:
    """Returns once the service answers its liveness check; ``SignInFailed`` after ``seconds``.

    ``datahubctl up``'s service binds its port only after the local APIs have started.
    """
    url = f"{service_url.rstrip('/')}{HEALTH_PATH}"
    deadline = time.monotonic() + seconds
    while not await _answers(http, url):
        if time.monotonic() > deadline:
            raise SignInFailed("the service", f"{url} did not answer within {seconds:.0f} s")
        await asyncio.sleep(HEALTH_POLL_SECONDS)


async def _answers(http: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=5)) as answer:
            return answer.status == 200
    except (aiohttp.ClientError, TimeoutError):
        return False


async def check_sign_in(
    http: aiohttp.ClientSession, console: ConsoleSignIn, user: DemoUser
) -> None:
    """``user`` signs in and reads ``me`` as the console does; ``SignInFailed`` when they cannot."""
    await preflight(http, console)
    id_token = await initiate_auth(http, console, user)
    await read_me(http, console, id_token, user)


async def preflight(http: aiohttp.ClientSession, console: ConsoleSignIn) -> None:
    """The browser's CORS preflight of the sign-in call: it must allow the console's origin."""
    headers = {
        "Origin": console.origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": COGNITO_HEADERS,
    }
    name = "the browser's CORS preflight of Cognito"
    async with step(name), http.options(console.cognito_endpoint, headers=headers) as answer:
        await _cross_origin_ok(answer, console.origin, name)


async def initiate_auth(http: aiohttp.ClientSession, console: ConsoleSignIn, user: DemoUser) -> str:
    """Cognito's ``InitiateAuth`` (USER_PASSWORD_AUTH) from the console's origin: the id token."""
    body = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": console.client_id,
        "AuthParameters": {"USERNAME": user.username, "PASSWORD": user.password},
    }
    headers = {
        "Origin": console.origin,
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": INITIATE_AUTH,
    }
    name = f"Cognito's InitiateAuth as {user.username}"
    async with step(name):
        async with http.post(
            console.cognito_endpoint, data=json.dumps(body), headers=headers
        ) as answer:
            await _cross_origin_ok(answer, console.origin, name)
            result: dict[str, Any] = json.loads(await answer.read())
        return str(result["AuthenticationResult"]["IdToken"])


async def read_me(
    http: aiohttp.ClientSession, console: ConsoleSignIn, id_token: str, user: DemoUser
) -> None:
    """``{ me { user } }`` on the Backend API with the id token, as the console sends it."""
    headers = {"Content-Type": "application/json", "Authorization": id_token}
    name = f"the Backend API's `me` as {user.username}"
    async with step(name):
        async with http.post(console.graphql_url, data=ME, headers=headers) as answer:
            text = await answer.text()
            if answer.status != 200:
                raise SignInFailed(name, f"{answer.status} {text[:SHOWN_CHARACTERS]}")
        if _signed_in_user(json.loads(text)) != user.username:
            raise SignInFailed(name, text[:SHOWN_CHARACTERS])


def _signed_in_user(body: dict[str, Any]) -> str | None:
    """The user a GraphQL answer to ``{ me { user } }`` names; None with errors."""
    if body.get("errors"):
        return None
    user = ((body.get("data") or {}).get("me") or {}).get("user")
    return user if isinstance(user, str) else None


async def _cross_origin_ok(answer: aiohttp.ClientResponse, origin: str, name: str) -> None:
    """A browser on ``origin`` may read ``answer``, and it is a success."""
    allowed = answer.headers.get("Access-Control-Allow-Origin")
    if allowed not in (origin, "*"):
        text = (await answer.text())[:SHOWN_CHARACTERS]
        raise SignInFailed(
            name, f"{answer.status} without Access-Control-Allow-Origin for {origin} {text}"
        )
    if not answer.ok:
        raise SignInFailed(name, f"{answer.status} {(await answer.text())[:SHOWN_CHARACTERS]}")
