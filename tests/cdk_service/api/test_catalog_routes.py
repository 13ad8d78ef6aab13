"""The catalog over HTTP: who sees what, who may publish, and the errors callers get."""

from __future__ import annotations

from tests.cdk_service.api.conftest import ADMIN, ANALYST, error_of

PUBLISH = "/v1/templates/bucket/versions/1.0.0/publish"


async def test_a_team_member_sees_only_published_templates(as_user) -> None:
    status, body = await as_user(ANALYST)("GET", "/v1/templates")
    assert status == 200 and body["templates"] == []

    assert (await as_user(ADMIN)("POST", PUBLISH, {"constraints": {}}))[0] == 200

    status, body = await as_user(ANALYST)("GET", "/v1/templates")
    assert [t["name"] for t in body["templates"]] == ["bucket"]
    assert body["templates"][0]["versions"] == ["1.0.0"]


async def test_admins_see_drafts(as_user) -> None:
    status, body = await as_user(ADMIN)("GET", "/v1/templates/bucket")
    assert status == 200
    assert {v["version"]: v["status"] for v in body["versions"]} == {
        "1.1.0": "draft",
        "1.0.0": "draft",
    }


async def test_a_version_shows_its_schema_narrowed_by_constraints(as_user) -> None:
    constraints = {"allowed_values": {"storage_class": ["standard"]}, "quota_per_team": 2}
    await as_user(ADMIN)("POST", PUBLISH, {"constraints": constraints})

    status, body = await as_user(ANALYST)("GET", "/v1/templates/bucket/versions/1.0.0")

    assert status == 200
    assert body["status"] == "published" and body["constraints"]["quota_per_team"] == 2
    assert body["json_schema"]["properties"]["storage_class"]["enum"] == ["standard"]


async def test_only_admins_publish(as_user) -> None:
    status, body = await as_user(ANALYST)("POST", PUBLISH, {"constraints": {}})
    assert status == 403 and error_of(body)["code"] == "forbidden"


async def test_bad_constraints_name_the_field(as_user) -> None:
    body = {"constraints": {"allowed_values": {"retention_days": [9999]}}}
    status, response = await as_user(ADMIN)("POST", PUBLISH, body)
    error = error_of(response)
    assert status == 400 and error["code"] == "invalid_constraints"
    assert error["field"] == "constraints.allowed_values.retention_days"


async def test_an_unknown_constraint_key_is_rejected_by_the_request_model(as_user) -> None:
    status, response = await as_user(ADMIN)("POST", PUBLISH, {"constraints": {"quota": 1}})
    error = error_of(response)
    assert status == 400 and error["code"] == "invalid_request"
    assert error["field"] == "constraints.quota"


async def test_deprecate_then_retire_then_publish_again_is_a_conflict(as_user) -> None:
    admin = as_user(ADMIN)
    await admin("POST", PUBLISH, {})
    assert (await admin("POST", "/v1/templates/bucket/versions/1.0.0/deprecate"))[1][
        "status"
    ] == "deprecated"
    assert (await admin("POST", "/v1/templates/bucket/versions/1.0.0/retire"))[1][
        "status"
    ] == "retired"

    status, body = await admin("POST", PUBLISH, {})
    assert status == 409 and error_of(body)["code"] == "version_retired"


async def test_unknown_template_and_version_are_404_with_distinct_codes(as_user) -> None:
    status, body = await as_user(ADMIN)("GET", "/v1/templates/nope")
    assert status == 404 and error_of(body)["code"] == "template_not_found"
    status, body = await as_user(ADMIN)("GET", "/v1/templates/bucket/versions/9.9.9")
    assert status == 404 and error_of(body)["code"] == "version_not_found"
