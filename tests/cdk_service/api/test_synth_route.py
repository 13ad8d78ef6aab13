"""``POST /v1/synth``: validation against the catalog, team membership, and synth failures."""

from __future__ import annotations

import json

import pytest

from service_contract import signing
from service_contract.errors import Busy, PolicyViolation, UpstreamFailure
from service_contract.identity import Identity
from tests.cdk_service.api.conftest import ADMIN, ANALYST, KEY, error_of

ORDER = {"template": "bucket", "team": "analytics", "params": {"bucket_name": "raw-events"}}


@pytest.fixture
async def published(as_user) -> None:
    admin = as_user(ADMIN)
    constraints = {"allowed_values": {"storage_class": ["standard", "infrequent"]}}
    assert (
        await admin(
            "POST", "/v1/templates/bucket/versions/1.0.0/publish", {"constraints": constraints}
        )
    )[0] == 200


async def test_a_team_member_synthesizes_the_newest_published_version(
    as_user, published, synthesizer
) -> None:
    status, body = await as_user(ANALYST)("POST", "/v1/synth", ORDER)

    assert status == 200
    assert body["version"] == "1.0.0"
    assert body["params"] == {
        "bucket_name": "raw-events",
        "storage_class": "standard",
        "retention_days": 30,
    }
    assert (
        body["result"]["template"]["Resources"]["Thing"]["Properties"]["bucket_name"]
        == "raw-events"
    )
    request = synthesizer.requests[-1]
    assert request.context.team == "analytics" and request.context.stack_name == "analytics-bucket"
    assert len(request.code_digest) == 64


async def test_params_failing_the_schema_name_the_field(as_user, published) -> None:
    order = {**ORDER, "params": {"bucket_name": "Bad_Name", "retention_days": 0}}
    status, body = await as_user(ANALYST)("POST", "/v1/synth", order)
    error = error_of(body)
    assert status == 400 and error["code"] == "invalid_params"
    assert {d["field"] for d in error["details"]} == {"params.bucket_name", "params.retention_days"}
    assert "bucket_name" in error["message"]


async def test_params_outside_the_constraints_are_rejected(as_user, published) -> None:
    order = {**ORDER, "params": {**ORDER["params"], "storage_class": "archive"}}
    status, body = await as_user(ANALYST)("POST", "/v1/synth", order)
    error = error_of(body)
    assert status == 400 and error["code"] == "constraint_violation"
    assert error["field"] == "params.storage_class"


async def test_unknown_params_are_rejected(as_user, published) -> None:
    order = {**ORDER, "params": {**ORDER["params"], "colour": "blue"}}
    status, body = await as_user(ANALYST)("POST", "/v1/synth", order)
    assert status == 400 and error_of(body)["field"] == "params.colour"


async def test_another_teams_member_may_not_synthesize_for_it(as_user, published) -> None:
    outsider = Identity(user="olga", groups=frozenset({"finance"}))
    status, body = await as_user(outsider)("POST", "/v1/synth", ORDER)
    assert status == 403 and error_of(body)["code"] == "not_team_member"


async def test_a_draft_is_invisible_to_teams_but_admins_may_try_it(as_user, published) -> None:
    order = {**ORDER, "version": "1.1.0"}
    status, body = await as_user(ANALYST)("POST", "/v1/synth", order)
    assert status == 404 and error_of(body)["code"] == "version_not_found"
    assert (await as_user(ADMIN)("POST", "/v1/synth", order))[0] == 200


async def test_a_template_with_no_published_version(as_user) -> None:
    status, body = await as_user(ANALYST)("POST", "/v1/synth", {**ORDER, "template": "queue"})
    assert status == 404 and error_of(body)["code"] in {"template_not_found", "version_not_found"}


async def test_a_deprecated_version_takes_no_new_synths(as_user, published) -> None:
    await as_user(ADMIN)("POST", "/v1/templates/bucket/versions/1.0.0/deprecate")
    status, body = await as_user(ANALYST)("POST", "/v1/synth", {**ORDER, "version": "1.0.0"})
    assert status == 409 and error_of(body)["code"] == "version_deprecated"


async def test_a_bad_target_names_the_field(as_user, published) -> None:
    status, body = await as_user(ANALYST)("POST", "/v1/synth", {**ORDER, "account": "12"})
    assert status == 400 and error_of(body)["field"] == "account"


async def test_policy_findings_reject_the_synth_with_the_findings_listed(
    as_user, published, synthesizer
) -> None:
    finding = {
        "rule_id": "AwsSolutions-S1",
        "level": "error",
        "resource": "/s/B",
        "message": "no logs",
    }
    synthesizer.fail_with = PolicyViolation("1 error-level finding", details=[finding])
    status, body = await as_user(ANALYST)("POST", "/v1/synth", ORDER)
    error = error_of(body)
    assert status == 422 and error["code"] == "policy_violation"
    assert error["details"] == [finding]


@pytest.mark.parametrize(
    ("failure", "status", "code"),
    [
        (UpstreamFailure("too slow", code="synth_timeout"), 504, "synth_timeout"),
        (UpstreamFailure("worker died", code="synth_worker_died"), 502, "synth_worker_died"),
        (RuntimeError("secret internals"), 500, "internal_error"),
    ],
)
async def test_synth_failures_become_clear_errors(
    as_user, published, synthesizer, failure, status, code
) -> None:
    synthesizer.fail_with = failure
    got_status, body = await as_user(ANALYST)("POST", "/v1/synth", ORDER)
    assert got_status == status and error_of(body)["code"] == code
    assert "secret internals" not in str(body)


async def test_a_busy_pool_answers_503_with_retry_after(
    client, as_user, published, synthesizer
) -> None:
    synthesizer.fail_with = Busy("the synth pool is busy", retry_after=6, code="synth_busy")
    raw = json.dumps(ORDER).encode()
    headers = signing.sign(
        KEY.encode(), method="POST", path="/v1/synth", body=raw, identity=ANALYST
    )

    response = await client.post("/v1/synth", data=raw, headers=headers)

    assert response.status == 503 and response.headers["Retry-After"] == "6"
    error = error_of(await response.json())
    assert error["code"] == "synth_busy" and error["details"] == {"retry_after_seconds": 6}
