"""The catalog through the Backend handler: browse, schemas, and admins' lifecycle mutations."""

from __future__ import annotations

from cdk_service.db.models import TemplateBundle
from tests.api_lambdas.backend.conftest import data_of, error_of
from tests.api_lambdas.service_fixtures import ADMIN, ANALYST

TEMPLATES = """
query Templates($after: String) {
  templates(first: 1, after: $after) {
    edges { cursor node { name title latestVersion { version status requiresApproval } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}"""
TEMPLATE = """
query Template($name: String!) {
  template(name: $name) { name versions { version status paramsSchema outputs } }
}"""


async def test_a_member_pages_through_the_catalog(ask) -> None:
    first = data_of(*await ask(ANALYST, TEMPLATES))["templates"]
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    [bucket] = [edge["node"] for edge in first["edges"]]
    assert bucket["name"] == "bucket"
    assert bucket["latestVersion"] == {
        "version": "1.1.0",
        "status": "published",
        "requiresApproval": False,
    }

    after = first["pageInfo"]["endCursor"]
    second = data_of(*await ask(ANALYST, TEMPLATES, {"after": after}))["templates"]
    assert [e["node"]["name"] for e in second["edges"]] == ["queue"]
    assert second["pageInfo"]["hasNextPage"] is False
    assert second["edges"][0]["node"]["latestVersion"]["requiresApproval"] is True


async def test_a_template_shows_each_versions_json_schema(ask) -> None:
    template = data_of(*await ask(ANALYST, TEMPLATE, {"name": "bucket"}))["template"]

    assert [v["version"] for v in template["versions"]] == ["1.1.0", "1.0.0"]
    newest = template["versions"][0]
    assert newest["paramsSchema"]["properties"]["bucket_name"]["pattern"]
    assert newest["outputs"] == {"BucketArn": "ARN of the bucket"}


async def test_an_unknown_template_is_null(ask) -> None:
    assert data_of(*await ask(ANALYST, TEMPLATE, {"name": "nothing"}))["template"] is None


async def test_admins_deprecate_and_members_may_not(ask) -> None:
    mutation = """mutation { deprecateTemplateVersion(name: "bucket", version: "1.0.0") {
        version status } }"""
    status, body = await ask(ANALYST, mutation)
    assert status == 200 and body["data"] is None
    assert error_of(body)["extensions"]["code"] == "forbidden"

    changed = data_of(*await ask(ADMIN, mutation))["deprecateTemplateVersion"]
    assert changed == {"version": "1.0.0", "status": "deprecated"}


async def test_a_path_like_name_is_refused_before_the_service_is_called(ask) -> None:
    _, body = await ask(ADMIN, TEMPLATE, {"name": "../stacks"})
    assert error_of(body)["extensions"] == {"code": "invalid_id", "field": "name"}


BUNDLES = "query { templateBundles { digest package size versions uploadedBy uploadedAt } }"


async def test_admins_list_template_bundles_and_members_may_not(ask) -> None:
    await TemplateBundle.create(
        digest="a" * 64,
        package="team_setting_template",
        size=2048,
        versions=["team-setting@1.0.0"],
        uploaded_by="ada",
    )
    [bundle] = data_of(*await ask(ADMIN, BUNDLES))["templateBundles"]
    assert {k: v for k, v in bundle.items() if k != "uploadedAt"} == {
        "digest": "a" * 64,
        "package": "team_setting_template",
        "size": 2048,
        "versions": ["team-setting@1.0.0"],
        "uploadedBy": "ada",
    }
    status, body = await ask(ANALYST, BUNDLES)
    assert status == 200 and body["data"] is None
    assert error_of(body)["extensions"]["code"] == "forbidden"
