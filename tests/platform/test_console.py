"""Console: the built app and its config.json copied into the frontend bucket at deploy time."""

from __future__ import annotations

import json
import re
from pathlib import Path

from aws_cdk import assertions
from datahub_platform.config import REPOSITORY_ROOT, PlatformConfig

from tests.platform.conftest import CONSOLE_ORIGIN
from tests.platform.references import mentioned

CONSOLE_CONFIG_SOURCE = REPOSITORY_ROOT / "frontend" / "src" / "lib" / "config.ts"


def copies(platform) -> dict[str, dict]:
    """The Console stack's bucket deployments by logical id prefix (Files, EntryPoints)."""
    found = platform.resources("Console", "Custom::CDKBucketDeployment")
    return {k.split("CustomResource")[0]: r["Properties"] for k, r in found.items()}


def asset_files(outdir: Path, properties: dict) -> dict[str, Path]:
    """The files a deployment's sources hold, by name (staged asset folders of the assembly)."""
    files = {}
    for key in properties["SourceObjectKeys"]:
        folder = outdir / f"asset.{key.removesuffix('.zip')}"
        files |= {str(f.relative_to(folder)): f for f in folder.rglob("*") if f.is_file()}
    return files


def test_both_copies_go_into_the_frontend_content_bucket(platform) -> None:
    (content,) = [
        b for k, b in platform.resources("Frontend", "AWS::S3::Bucket").items() if "Content" in k
    ]
    name = content["Properties"]["BucketName"]
    assert isinstance(name, str), "named at synth, so the home region can address it"
    assert content["DeletionPolicy"] == "Delete", "a fixed name kept would block a reinstall"
    assert set(copies(platform)) == {"Files", "EntryPoints"}
    for properties in copies(platform).values():
        assert properties["DestinationBucketName"] == name
        assert properties["Prune"] is False
    dependencies = platform.manifest()["artifacts"]["Console"]["dependencies"]
    assert {"Frontend", "BackendApi"} <= set(dependencies)


def test_hashed_files_are_cached_a_year_and_the_entry_points_never(platform) -> None:
    found = copies(platform)
    files = found["Files"]
    assert files["SystemMetadata"] == {"cache-control": "public, max-age=31536000, immutable"}
    assert set(files["Exclude"]) == {"index.html", "config.json", "*.map"}
    shipped = asset_files(platform.outdir, files)
    assert "assets/index-3f9a1c.js" in shipped
    entry_points = found["EntryPoints"]
    assert entry_points["SystemMetadata"] == {"cache-control": "no-cache"}
    assert set(asset_files(platform.outdir, entry_points)) == {"index.html", "config.json"}
    dependencies = platform.template_json("Console")["Resources"]
    (entry_id,) = [k for k in dependencies if k.startswith("EntryPointsCustomResource")]
    assert any(d.startswith("FilesCustomResource") for d in dependencies[entry_id]["DependsOn"])


def test_config_json_holds_the_api_url_and_cognito_ids_as_the_console_reads_them(
    platform,
) -> None:
    entry_points = copies(platform)["EntryPoints"]
    # Tokens are markers in the file, which the copy replaces with the deployed JSON values.
    markers = {k: json.dumps(v) for m in entry_points["SourceMarkers"] for k, v in m.items()}
    text = asset_files(platform.outdir, entry_points)["config.json"].read_text()
    for marker in markers:
        text = text.replace(marker, json.dumps(marker))
    written = json.loads(text)
    assert set(written) == {"graphqlUrl", "cognito"}
    assert set(written["cognito"]) == {"region", "userPoolId", "clientId"}
    assert written["cognito"]["region"] == platform.config.region
    filled = {
        "graphqlUrl": markers[written["graphqlUrl"]],
        "userPoolId": markers[written["cognito"]["userPoolId"]],
        "clientId": markers[written["cognito"]["clientId"]],
    }
    backend = platform.template_json("BackendApi")["Resources"]
    (api,) = [k for k, r in backend.items() if r["Type"] == "AWS::ApiGateway::RestApi"]
    (pool,) = [k for k, r in backend.items() if r["Type"] == "AWS::Cognito::UserPool"]
    (client,) = [k for k, r in backend.items() if r["Type"] == "AWS::Cognito::UserPoolClient"]
    assert mentioned(filled["graphqlUrl"], [api]) == {api}
    assert "/graphql" in filled["graphqlUrl"]
    assert mentioned(filled["userPoolId"], [pool, client]) == {pool}
    assert mentioned(filled["clientId"], [client]) == {client}


def test_the_field_names_are_those_of_the_console_source() -> None:
    source = CONSOLE_CONFIG_SOURCE.read_text()
    for field in ("graphqlUrl", "cognito", "region", "userPoolId", "clientId"):
        assert re.search(rf"\b{field}\??: ", source), f"config.ts no longer reads {field}"


def test_the_console_client_may_sign_in_with_a_password_as_the_console_does(platform) -> None:
    (client,) = platform.resources("BackendApi", "AWS::Cognito::UserPoolClient").values()
    flows = set(client["Properties"]["ExplicitAuthFlows"])
    assert {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"} <= flows
    source = (REPOSITORY_ROOT / "frontend" / "src" / "lib" / "auth.ts").read_text()
    assert '"USER_PASSWORD_AUTH"' in source


def test_without_a_built_console_a_placeholder_page_is_deployed_with_the_config(
    platform_config, tmp_path
) -> None:
    from datahub_platform.app import build_app

    config = PlatformConfig.from_mapping(
        {**platform_config.model_dump(), "console_dist": str(tmp_path / "not-built")}
    )
    app = build_app(config, tmp_path / "assembly")
    console = app.node.find_child("Console")
    template = assertions.Template.from_stack(console)
    template.resource_count_is("Custom::CDKBucketDeployment", 1)
    assertions.Annotations.from_stack(console).has_warning(
        "*", assertions.Match.string_like_regexp("placeholder page is deployed")
    )
    (copy,) = template.find_resources("Custom::CDKBucketDeployment").values()
    files = asset_files(tmp_path / "assembly", copy["Properties"])
    assert set(files) == {"index.html", "config.json"}
    assert "npm run build" in files["index.html"].read_text()


def test_the_copy_reaches_the_bucket_from_the_vpc_through_the_setup_group(platform) -> None:
    (function,) = platform.resources("Console", "AWS::Lambda::Function").values()
    vpc = function["Properties"]["VpcConfig"]
    assert "SetupFunctions" in json.dumps(vpc["SecurityGroupIds"])
    assert "computeSubnet" in json.dumps(vpc["SubnetIds"]), "the private compute subnets"


def test_api_gateways_own_errors_reach_the_console_with_a_cors_header(platform) -> None:
    responses = platform.resources("BackendApi", "AWS::ApiGateway::GatewayResponse").values()
    found = {r["Properties"]["ResponseType"]: r["Properties"] for r in responses}
    assert set(found) == {"DEFAULT_4XX", "DEFAULT_5XX"}
    for response in found.values():
        assert response["ResponseParameters"] == {
            "gatewayresponse.header.Access-Control-Allow-Origin": f"'{CONSOLE_ORIGIN}'"
        }
