"""Uploading bundles through the API: each refusal with its code, then store, list, publish, audit.

Every upload is checked for real, in a fresh synth worker process (import, contract, synth).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from cdk_service.bundles.archive import digest_of
from cdk_service.db.audit import audit_entries
from cdk_service.db.models import TemplateVersion, VersionStatus
from tests.cdk_service.api.conftest import ADMIN, ANALYST, KEY, Caller, error_of
from tests.cdk_service.bundles.bundles import kit_bundle, upload, zipped


async def refused(client: TestClient, data: bytes, status: int) -> dict[str, Any]:
    answer_status, answer = await upload(client, ADMIN, data, key=KEY)
    assert answer_status == status, answer
    return error_of(answer)


async def test_an_admin_uploads_a_kit_bundle_and_publishes_its_draft(
    client: TestClient, tmp_path: Path
) -> None:
    data = kit_bundle(tmp_path)
    status, bundle = await upload(client, ADMIN, data, key=KEY)
    assert status == 201, bundle
    assert bundle["package"] == "team_setting_template"
    assert bundle["versions"] == ["team-setting@1.0.0"]
    assert (tmp_path / "bundles" / f"{bundle['digest']}.zip").is_file()  # the state folder
    stored = (tmp_path / "bundles" / f"{bundle['digest']}.zip").read_bytes()
    assert digest_of(stored) == bundle["digest"]

    row = await TemplateVersion.get(template__name="team-setting", version="1.0.0")
    assert (row.status, row.bundle_digest, row.code_digest) == (
        VersionStatus.DRAFT,
        bundle["digest"],
        bundle["digest"],
    )
    assert row.params_schema["properties"]["setting_name"]["description"]

    again_status, again = await upload(client, ADMIN, data, key=KEY)
    assert (again_status, again["digest"]) == (201, bundle["digest"])  # the same, held once

    admin = Caller(client, ADMIN)
    status, listed = await admin("GET", "/v1/template-bundles")
    assert status == 200
    assert [b["digest"] for b in listed["bundles"]] == [bundle["digest"]]
    assert listed["bundles"][0]["uploaded_by"] == ADMIN.user

    path = "/v1/templates/team-setting/versions/1.0.0/publish"
    status, published = await admin("POST", path, {"constraints": {}})
    assert (status, published["status"]) == (200, "published"), published
    assert published["bundle_digest"] == bundle["digest"]
    status, listed = await Caller(client, ANALYST)("GET", "/v1/templates/team-setting")
    assert status == 200 and [v["version"] for v in listed["versions"]] == ["1.0.0"]

    actions = [entry.action for entry in await audit_entries()]
    assert "bundle.uploaded" in actions
    assert any(action.endswith("published") for action in actions), actions


async def test_only_admins_upload_or_list_bundles(client: TestClient, tmp_path: Path) -> None:
    status, answer = await upload(client, ANALYST, kit_bundle(tmp_path), key=KEY)
    assert (status, error_of(answer)["code"]) == (403, "forbidden")
    status, answer = await Caller(client, ANALYST)("GET", "/v1/template-bundles")
    assert status == 403


async def test_an_archive_escaping_its_folder_is_refused(client: TestClient) -> None:
    data = zipped({"pkg/__init__.py": b"", "../../etc/passwd": b"x"})
    error = await refused(client, data, 400)
    assert error["code"] == "bundle_unsafe_path"


async def test_a_symbolic_link_is_refused(client: TestClient) -> None:
    data = zipped({"pkg/__init__.py": b""}, links={"pkg/key": "/etc/ssh/ssh_host_rsa_key"})
    assert (await refused(client, data, 400))["code"] == "bundle_unsafe_path"


async def test_an_oversize_bundle_is_refused_over_the_api_body_limit(
    client: TestClient, settings: Any
) -> None:
    settings.bundle_max_bytes = 8192  # the API's own body limit here is 4096
    data = zipped({"pkg/__init__.py": bytes(range(256)) * 64})  # 16 kB, barely compressible
    error = await refused(client, data, 413)
    assert error["code"] in ("bundle_too_large", "payload_too_large")


async def test_an_oversize_file_is_refused(client: TestClient, settings: Any) -> None:
    settings.bundle_file_max_bytes = 1024
    data = zipped({"pkg/__init__.py": b"#" * 3000})
    error = await refused(client, data, 413)
    assert error["code"] == "bundle_too_large"


async def test_a_package_named_like_a_service_module_is_refused(client: TestClient) -> None:
    for package in ("stack_catalog", "json"):
        data = zipped({f"{package}/__init__.py": b"TEMPLATES = []\n"})
        error = await refused(client, data, 409)
        assert error["code"] == "bundle_name_taken"
        assert error["details"] == {"package": package}


async def test_a_built_in_template_version_is_refused(client: TestClient, tmp_path: Path) -> None:
    # The test registry's built-ins are bucket 1.0.0 and 1.1.0: the kit's template renamed.
    data = kit_bundle(tmp_path, name="bucket", version="1.1.0")
    error = await refused(client, data, 409)
    assert error["code"] == "bundle_name_taken"
    assert error["details"] == {"template": "bucket", "version": "1.1.0"}


async def test_a_published_version_with_other_code_is_refused(
    client: TestClient, tmp_path: Path
) -> None:
    status, first = await upload(client, ADMIN, kit_bundle(tmp_path / "a"), key=KEY)
    assert status == 201, first
    path = "/v1/templates/team-setting/versions/1.0.0/publish"
    assert (await Caller(client, ADMIN)("POST", path, {"constraints": {}}))[0] == 200
    other = kit_bundle(tmp_path / "b", stack=("string_value=params.value", 'string_value="x"'))
    error = await refused(client, other, 409)
    assert error["code"] == "bundle_version_conflict"
    row = await TemplateVersion.get(template__name="team-setting", version="1.0.0")
    assert row.code_digest == first["digest"]  # the published code stays


async def test_a_bundle_needing_packages_the_image_lacks_is_refused_naming_them(
    client: TestClient, tmp_path: Path
) -> None:
    data = kit_bundle(
        tmp_path, stack=("import aws_cdk as cdk\n", "import aws_cdk as cdk\nimport numpy, pytest\n")
    )
    error = await refused(client, data, 400)
    assert error["code"] == "bundle_missing_packages"
    assert error["details"] == {"missing": ["numpy", "pytest"]}  # pytest: tests', not the image's


async def test_code_that_fails_to_import_is_refused(client: TestClient, tmp_path: Path) -> None:
    data = kit_bundle(tmp_path, stack=("class ", "raise RuntimeError('broken at import')\nclass "))
    error = await refused(client, data, 400)
    assert error["code"] == "bundle_import_failed"
    assert "broken at import" in error["message"]
    assert not await TemplateVersion.filter(template__name="team-setting").exists()


async def test_code_that_fails_to_synthesize_is_refused(client: TestClient, tmp_path: Path) -> None:
    # An unencrypted, unlogged bucket breaks the AwsSolutions pack with error-level findings.
    data = kit_bundle(
        tmp_path,
        stack=(
            "        cdk.CfnOutput(",
            "        from aws_cdk import aws_s3\n"
            "        aws_s3.Bucket(self, 'Open')\n"
            "        cdk.CfnOutput(",
        ),
    )
    error = await refused(client, data, 400)
    assert error["code"] == "bundle_synth_failed"
    assert any(f["rule_id"].startswith("AwsSolutions-S") for f in error["details"]["findings"])


async def test_a_template_breaking_the_contract_is_refused(
    client: TestClient, tmp_path: Path
) -> None:
    data = kit_bundle(
        tmp_path, **{"__init__": ('description="The setting\'s value"', 'title="value"')}
    )
    error = await refused(client, data, 400)
    assert error["code"] == "bundle_contract_invalid"
    assert "parameter value has no description" in error["message"]


async def test_an_unpublished_bundle_is_removed_and_a_published_one_is_kept(
    client: TestClient, tmp_path: Path
) -> None:
    admin = Caller(client, ADMIN)
    status, draft = await upload(client, ADMIN, kit_bundle(tmp_path / "a"), key=KEY)
    assert status == 201, draft
    status, _ = await admin("DELETE", f"/v1/template-bundles/{draft['digest']}")
    assert status == 204
    assert not await TemplateVersion.filter(template__name="team-setting").exists()
    assert (await admin("GET", "/v1/template-bundles"))[1]["bundles"] == []

    status, kept = await upload(client, ADMIN, kit_bundle(tmp_path / "b"), key=KEY)
    assert status == 201, kept
    path = "/v1/templates/team-setting/versions/1.0.0/publish"
    assert (await admin("POST", path, {"constraints": {}}))[0] == 200
    status, answer = await admin("DELETE", f"/v1/template-bundles/{kept['digest']}")
    assert (status, error_of(answer)["code"]) == (409, "bundle_in_use")
    status, answer = await admin("DELETE", f"/v1/template-bundles/{'0' * 64}")
    assert (status, error_of(answer)["code"]) == (404, "bundle_not_found")

    entries = [(e.action, e.target_id) for e in await audit_entries(target_kind="template_bundle")]
    assert entries == [
        ("bundle.uploaded", draft["digest"]),
        ("bundle.removed", draft["digest"]),
        ("bundle.uploaded", kept["digest"]),
    ]


async def test_two_uploads_of_one_bundle_at_once_make_one_bundle(
    client: TestClient, tmp_path: Path
) -> None:
    data = kit_bundle(tmp_path)
    answers = await asyncio.gather(*(upload(client, ADMIN, data, key=KEY) for _ in range(2)))
    assert [status for status, _ in answers] == [201, 201], answers
    assert answers[0][1]["digest"] == answers[1][1]["digest"]
    assert await TemplateVersion.filter(template__name="team-setting").count() == 1


async def test_a_bundle_version_is_synthesized_by_digest_with_schema_checked_params(
    client: TestClient, tmp_path: Path, synthesizer: Any
) -> None:
    status, bundle = await upload(client, ADMIN, kit_bundle(tmp_path), key=KEY)
    assert status == 201, bundle
    path = "/v1/templates/team-setting/versions/1.0.0/publish"
    constraints = {"allowed_values": {"value": ["on", "off"]}}
    assert (await Caller(client, ADMIN)("POST", path, {"constraints": constraints}))[0] == 200
    analyst = Caller(client, ANALYST)
    order = {"template": "team-setting", "team": "analytics", "params": {"setting_name": "flags"}}

    status, body = await analyst("POST", "/v1/synth", order)
    assert status == 200, body
    assert body["params"] == {"setting_name": "flags", "value": "on"}  # the default filled in
    [request] = synthesizer.requests
    assert (request.bundle_digest, request.code_digest) == (bundle["digest"], bundle["digest"])

    bad = {**order, "params": {"setting_name": "Not A Slug", "extra": 1}}
    status, body = await analyst("POST", "/v1/synth", bad)
    assert (status, error_of(body)["code"]) == (400, "invalid_params")
    fields = {problem["field"] for problem in error_of(body)["details"]}
    assert fields == {"params", "params.setting_name"}, fields
    outside = {**order, "params": {"setting_name": "flags", "value": "maybe"}}
    status, body = await analyst("POST", "/v1/synth", outside)
    assert (status, error_of(body)["code"]) == (400, "constraint_violation")
