"""A dataset share end to end on moto, through the API and real celery workers.

The finance team asks for the analytics team's orders for one of its roles; analytics sees the
preview (the consumer role's trust policy gains the role) and approves; the worker that ran the
grant records it. Then boto3 reads what moto holds: the stack's template, the consumer role's
trust and permissions. Revoking takes the role out of both again. moto does not evaluate IAM
policies, so access is checked as the policy documents say it, not by reading objects.
"""

from __future__ import annotations

import ast
import asyncio
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

import pytest

from cdk_service.db.models import Dataset
from cdk_service.search.backends import indexer_of
from cdk_service.search.postgres import PostgresSearch
from cdk_service.settings import Settings
from service_contract.identity import Identity
from tests.aws import ACCOUNT, Aws
from tests.cdk_service.lifecycle.conftest import FINISHED_WITHIN_SECONDS, Platform
from tests.conftest import ADMIN, ANALYST

pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")
REQUESTER = Identity(user="rita", groups=frozenset({"finance"}))
READER_ROLE = "finance-reader"
READER = f"arn:aws:iam::{ACCOUNT}:role/{READER_ROLE}"
STACK = "analytics-orders"
PARAMETERS = "/datahub/analytics/datasets/orders"


class RequestCount(logging.Handler):
    """Counts the requests moto's server (in this process) logs while attached."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.requests = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.requests += 1


@contextmanager
def moto_requests() -> Iterator[RequestCount]:
    """Every request moto answers meanwhile, from any process (the workers' included)."""
    logger, counter = logging.getLogger("werkzeug"), RequestCount()
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


async def share_once(platform: Platform, share_id: str, status: str) -> dict[str, Any]:
    """The share once it reached ``status`` (each read settles its stack)."""
    deadline = time.monotonic() + FINISHED_WITHIN_SECONDS
    while time.monotonic() < deadline:
        assert platform.workers.alive(), platform.workers.tail()
        share = await platform.call(REQUESTER, "GET", f"/v1/shares/{share_id}")
        if share["status"] == status:
            return dict(share)
        assert share["status"] not in ("failed", "rejected"), share
        await asyncio.sleep(0.2)
    raise AssertionError(f"share {share_id} never became {status}:\n{platform.workers.tail()}")


def consumer_role(aws: Aws) -> tuple[dict[str, Any], dict[str, Any]]:
    """The consumer role's trust policy and its inline ``dataset`` policy, as moto holds them."""
    iam = aws("iam")
    arn = aws("ssm").get_parameter(Name=f"{PARAMETERS}/consumer-role-arn")["Parameter"]["Value"]
    name = arn.rsplit("/", 1)[1]
    trust = iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]
    policy = iam.get_role_policy(RoleName=name, PolicyName="dataset")["PolicyDocument"]
    return _document(trust), _document(policy)


def _document(value: str | dict[str, Any]) -> dict[str, Any]:
    """A policy document as moto returns it: a dict, URL-encoded JSON, or (an inline policy
    its CloudFormation wrote) a Python literal."""
    if isinstance(value, dict):
        return value
    try:
        return dict(json.loads(unquote(value)))
    except json.JSONDecodeError:
        return dict(ast.literal_eval(value))


def trusted_principals(trust: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for statement in trust["Statement"]:
        principals = statement.get("Principal", {}).get("AWS", [])
        found |= set([principals] if isinstance(principals, str) else principals)
    return found


def deployed_template(aws: Aws) -> str:
    body = aws("cloudformation").get_template(StackName=STACK)["TemplateBody"]
    return body if isinstance(body, str) else json.dumps(body)


async def test_a_team_requests_the_owner_previews_and_approves_then_revokes(
    platform: Platform, aws: Aws, settings: Settings
) -> None:
    aws("iam").create_role(
        RoleName=READER_ROLE,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )
    for slug in ("analytics", "finance"):
        await platform.call(ADMIN, "POST", "/v1/teams", {"slug": slug, "name": slug}, 201)
    grant = {"principal_arn": READER, "team": "finance"}
    await platform.call(ADMIN, "POST", "/v1/principals", grant, 201)
    body = {"name": "orders", "team": "analytics", "template": "dataset", "version": "1.0.0"}
    body["params"] = {"dataset_name": "orders"}
    accepted = await platform.call(ANALYST, "POST", "/v1/stacks", body, expect=202)
    created = await platform.settled(ANALYST, accepted["deployment"]["id"])
    assert created["status"] == "succeeded"
    await indexer_of(settings, PostgresSearch()).drain()  # registers the stack's dataset
    dataset = await Dataset.get(team="analytics", name="orders")
    assert READER not in trusted_principals(consumer_role(aws)[0])

    started = time.monotonic()
    with moto_requests() as calls:
        order = {"dataset_id": str(dataset.id), "team": "finance", "principal_arn": READER}
        share = await platform.call(
            REQUESTER, "POST", "/v1/shares", order | {"reason": "audit"}, 201
        )
        path = f"/v1/shares/{share['id']}"
        preview = await platform.call(ANALYST, "POST", f"{path}/preview", expect=202)
        held = await platform.settled(ANALYST, preview["deployment"]["id"])
        assert held["status"] == "awaiting_execution", held
        changed = {r["logical_id"] for r in held["preview"]["diff"]["resources"]}
        assert any(logical.startswith("ConsumerRole") for logical in changed), changed
        assert READER not in trusted_principals(consumer_role(aws)[0])  # nothing changed yet
        approved_at = time.monotonic()
        await platform.call(ANALYST, "POST", f"{path}/approve", {"note": "for the audit"})
        granted = await share_once(platform, share["id"], "granted")
    finished = time.monotonic()
    print(
        f"\nshare request to granted: {finished - started:.1f} s "
        f"(approve to granted {finished - approved_at:.1f} s); "
        f"moto requests from request to granted: {calls.requests}"
    )
    assert granted["deployment_id"] == preview["deployment"]["id"]
    assert calls.requests > 0

    trust, permissions = consumer_role(aws)
    assert READER in trusted_principals(trust)
    assert READER in deployed_template(aws)
    actions = {a for s in permissions["Statement"] for a in _listed(s["Action"])}
    assert {"s3:GetObject", "kms:Decrypt", "glue:GetTable"} <= actions
    assert not {"s3:PutObject", "s3:DeleteObject"} & actions  # read only

    revoke_started = time.monotonic()
    with moto_requests() as revoke_calls:
        await platform.call(REQUESTER, "POST", f"{path}/revoke", {"note": "audit done"})
        await share_once(platform, share["id"], "revoked")
    print(
        f"revoke to revoked: {time.monotonic() - revoke_started:.1f} s; "
        f"moto requests: {revoke_calls.requests}"
    )
    assert READER not in trusted_principals(consumer_role(aws)[0])
    assert READER not in deployed_template(aws)
    history = await platform.call(ANALYST, "GET", f"{path}/history")
    assert [e["action"] for e in history["events"]] == [
        "share.requested",
        "share.previewed",
        "share.approved",
        "share.deploying",
        "share.granted",
        "share.revoke_requested",
        "share.deploying",
        "share.revoked",
    ]


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value
