"""moto's server as a browser meets it: the console signs in to Cognito across origins.

The console (on the gateway's origin) calls Cognito's ``InitiateAuth`` on moto with
amazon-cognito-identity-js: ``POST /`` with ``X-Amz-Target`` and a JSON body, which a browser
sends only after a CORS preflight (``OPTIONS /``) allowed it. Each answer must carry
``Access-Control-Allow-Origin``, or the browser drops it and the library reports a bare
"Network error".
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import boto3
import pytest
from werkzeug.test import Client

from datahubctl.local.cognito import DEMO_ANALYST, LocalCognito
from datahubctl.local.moto_browser import BrowserCors
from tests.aws import REGION

CONSOLE_ORIGIN = "http://127.0.0.1:8765"
# What Chromium sends before amazon-cognito-identity-js's InitiateAuth.
PREFLIGHT = {
    "Origin": CONSOLE_ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "cache-control,content-type,x-amz-target,x-amz-user-agent",
}


def initiate_auth(cognito: LocalCognito, password: str) -> tuple[bytes, dict[str, str]]:
    """The body and headers of the console's sign-in call, as the browser sends them."""
    body = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": cognito.client_id,
        "AuthParameters": {"USERNAME": DEMO_ANALYST.username, "PASSWORD": password},
        "ClientMetadata": {},
    }
    headers = {
        "Origin": CONSOLE_ORIGIN,
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        "Cache-Control": "no-store",
    }
    return json.dumps(body).encode(), headers


async def test_the_preflight_of_the_consoles_sign_in_is_allowed(moto_url: str) -> None:
    # moto handed it to S3 as ListBuckets, which failed: a 500 without the CORS headers.
    async with aiohttp.ClientSession() as http, http.options(moto_url, headers=PREFLIGHT) as answer:
        assert answer.status in (200, 204), await answer.text()
        assert answer.headers["Access-Control-Allow-Origin"] in (CONSOLE_ORIGIN, "*")
        allowed = answer.headers["Access-Control-Allow-Headers"].lower()
        assert {"content-type", "x-amz-target"} <= set(allowed.replace(" ", "").split(","))
        assert "POST" in answer.headers["Access-Control-Allow-Methods"]


async def test_the_consoles_sign_in_and_its_refusal_carry_the_cors_headers(
    moto_url: str, cognito: LocalCognito
) -> None:
    async with aiohttp.ClientSession() as http:
        body, headers = initiate_auth(cognito, DEMO_ANALYST.password)
        async with http.post(moto_url, data=body, headers=headers) as answer:
            assert answer.status == 200
            assert answer.headers["Access-Control-Allow-Origin"] in (CONSOLE_ORIGIN, "*")
            result: dict[str, Any] = json.loads(await answer.read())
        assert result["AuthenticationResult"]["IdToken"]

        body, headers = initiate_auth(cognito, "not-the-password")
        async with http.post(moto_url, data=body, headers=headers) as answer:
            assert answer.status == 400
            assert answer.headers["Access-Control-Allow-Origin"] in (CONSOLE_ORIGIN, "*")


async def test_a_buckets_preflight_stays_s3s_answered_by_its_cors_rules(moto_url: str) -> None:
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto_url)
    s3.create_bucket(Bucket="console-uploads")
    rule = {"AllowedOrigins": [CONSOLE_ORIGIN], "AllowedMethods": ["PUT"], "AllowedHeaders": ["*"]}
    s3.put_bucket_cors(Bucket="console-uploads", CORSConfiguration={"CORSRules": [rule]})
    url = f"{moto_url}/console-uploads/report.csv"
    asked = {**PREFLIGHT, "Access-Control-Request-Method": "PUT"}

    async with aiohttp.ClientSession() as http:
        async with http.options(url, headers=asked) as answer:
            assert answer.status == 200
            assert answer.headers["Access-Control-Allow-Origin"] == CONSOLE_ORIGIN
        elsewhere = {**asked, "Origin": "http://elsewhere.example"}
        async with http.options(url, headers=elsewhere) as answer:
            assert answer.status == 403


def failing_moto(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """moto failing on a request, as it fails the S3 preflight: an exception out of the app."""
    raise AssertionError("no operation for this request")


def test_a_failure_inside_moto_reaches_the_browser_as_an_aws_error_it_may_read() -> None:
    browser = Client(BrowserCors(failing_moto))

    answer = browser.post("/", headers={"Origin": CONSOLE_ORIGIN, "X-Amz-Target": "x.InitiateAuth"})

    assert answer.status_code == 500
    assert answer.headers["Access-Control-Allow-Origin"] == CONSOLE_ORIGIN
    assert answer.headers["x-amzn-ErrorType"] == "InternalFailure"
    assert json.loads(answer.data) == {
        "__type": "InternalFailure",
        "message": "moto failed: AssertionError: no operation for this request",
    }


def test_requests_from_the_sdks_reach_moto_untouched() -> None:
    sdk = Client(BrowserCors(failing_moto))

    with pytest.raises(AssertionError, match="no operation"):
        sdk.post("/", headers={"X-Amz-Target": "x.InitiateAuth"})
