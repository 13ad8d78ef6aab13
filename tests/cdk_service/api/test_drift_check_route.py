"""``POST /v1/stacks/{id}/drift-checks``: accepted for an active stack of the caller's team."""

from __future__ import annotations

from tests.cdk_service.api.conftest import ANALYST, error_of
from tests.cdk_service.api.test_stacks_routes import (  # noqa: F401 - fixtures reused
    ORDER,
    client,
    dispatcher,
)
from tests.cdk_service.stacks.conftest import OTHER_TEAM, RecordingDispatcher, run_to_end


async def test_a_drift_check_is_queued_and_refused_while_another_runs(
    as_user,
    dispatcher: RecordingDispatcher,  # noqa: F811 - the fixture imported above
) -> None:
    _, created = await as_user(ANALYST)("POST", "/v1/stacks", ORDER)
    stack_id = created["stack"]["id"]
    path = f"/v1/stacks/{stack_id}/drift-checks"

    busy, refused = await as_user(ANALYST)("POST", path)
    await run_to_end(created["deployment"]["id"])
    status, body = await as_user(ANALYST)("POST", path)
    hidden, missing = await as_user(OTHER_TEAM)("POST", path)

    assert busy == 409 and error_of(refused)["code"] == "deployment_in_progress"
    assert status == 202, body
    assert (body["deployment"]["kind"], body["deployment"]["status"]) == ("drift_check", "queued")
    assert str(dispatcher.enqueued[-1]) == body["deployment"]["id"]
    assert hidden == 404 and error_of(missing)["code"] == "stack_not_found"


async def test_the_openapi_document_has_the_drift_check_route(as_user) -> None:
    _, document = await as_user(ANALYST)("GET", "/v1/openapi.json")

    operation = document["paths"]["/v1/stacks/{stack_id}/drift-checks"]["post"]
    assert set(operation["responses"]) >= {"202", "404", "409"}
