"""moto with the compatibility patch: tagged keys and parameters, Glue and Athena, on its server.

The first test fails on the day a moto release fixes the tag shapes itself: then drop the
tag rewriting from ``datahubctl/local/moto.py``.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

from datahubctl.local.moto import KEY_UPDATE_MISSING, PATCHES, moto_server
from service_contract.errors import Unavailable
from tests.aws import ACCOUNT, REGION, Aws

TAGS = [{"Key": "datahub:team", "Value": "analytics"}]
KEY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ],
}
# moto warns as it creates the stack's change set resources it models partially.
pytestmark = pytest.mark.filterwarnings("ignore:Tried to parse:UserWarning")


def tagged_key_and_parameter() -> dict[str, Any]:
    return {
        "Resources": {
            "Key": {
                "Type": "AWS::KMS::Key",
                "Properties": {"KeyPolicy": KEY_POLICY, "Tags": TAGS},
            },
            "Parameter": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {
                    "Name": "/datahub/analytics/key-arn",
                    "Type": "String",
                    "Value": {"Fn::GetAtt": ["Key", "Arn"]},
                    "Tags": {"datahub:team": "analytics"},
                },
            },
        }
    }


def glue_and_athena(description: str, scan_limit: int) -> dict[str, Any]:
    return {
        "Resources": {
            "Database": {
                "Type": "AWS::Glue::Database",
                "Properties": {
                    "CatalogId": ACCOUNT,
                    "DatabaseInput": {"Name": "analytics_sandbox", "Description": description},
                },
            },
            "WorkGroup": {
                "Type": "AWS::Athena::WorkGroup",
                "Properties": {
                    "Name": "datahub-analytics-sandbox",
                    "Description": description,
                    "Tags": TAGS,
                    "WorkGroupConfiguration": {"BytesScannedCutoffPerQuery": scan_limit},
                },
            },
            "DatabaseName": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {
                    "Name": "/datahub/analytics/database",
                    "Type": "String",
                    "Value": {"Ref": "Database"},
                },
            },
        }
    }


def deploy(aws: Aws, stack: str, template: dict[str, Any], change_set_type: str) -> str:
    cloudformation = aws("cloudformation")
    cloudformation.create_change_set(
        StackName=stack,
        ChangeSetName=f"c-{change_set_type.lower()}",
        ChangeSetType=change_set_type,
        TemplateBody=json.dumps(template),
    )
    cloudformation.execute_change_set(StackName=stack, ChangeSetName=f"c-{change_set_type.lower()}")
    status: str = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    return status


def test_moto_itself_still_needs_each_rewrite() -> None:
    key, parameter, bucket_update = (patch.original for patch in PATCHES)
    properties = tagged_key_and_parameter()["Resources"]
    properties["Parameter"]["Properties"]["Value"] = "arn"
    tagged_bucket = {"Properties": {"Tags": TAGS}}

    with pytest.raises(KeyError, match="TagKey"):
        key("k", properties["Key"], ACCOUNT, REGION)
    with pytest.raises(TypeError):
        parameter("p", properties["Parameter"], ACCOUNT, REGION)
    assert KEY_UPDATE_MISSING
    with pytest.raises(KeyError, match="BucketName"):
        bucket_update(
            original_resource=None,
            new_resource_name="b",
            cloudformation_json=tagged_bucket,
            account_id=ACCOUNT,
            region_name=REGION,
        )


def test_tagged_keys_and_parameters_are_created_with_their_tags(aws: Aws) -> None:
    assert deploy(aws, "tagged", tagged_key_and_parameter(), "CREATE") == "CREATE_COMPLETE"

    parameter = aws("ssm").get_parameter(Name="/datahub/analytics/key-arn")["Parameter"]
    key_tags = aws("kms").list_resource_tags(KeyId=parameter["Value"])["Tags"]
    assert key_tags == [{"TagKey": "datahub:team", "TagValue": "analytics"}]
    parameter_tags = aws("ssm").list_tags_for_resource(
        ResourceType="Parameter", ResourceId="/datahub/analytics/key-arn"
    )["TagList"]
    assert parameter_tags == TAGS


def test_a_key_whose_tags_change_is_updated_in_place(aws: Aws) -> None:
    template = tagged_key_and_parameter()
    assert deploy(aws, "tagged", template, "CREATE") == "CREATE_COMPLETE"
    key_arn = aws("ssm").get_parameter(Name="/datahub/analytics/key-arn")["Parameter"]["Value"]

    template["Resources"]["Key"]["Properties"]["Tags"] = [{"Key": "datahub:team", "Value": "ops"}]
    template["Resources"]["Parameter"]["Properties"]["Description"] = "the key's ARN"
    assert deploy(aws, "tagged", template, "UPDATE") == "UPDATE_COMPLETE"

    assert aws("kms").list_resource_tags(KeyId=key_arn)["Tags"] == [
        {"TagKey": "datahub:team", "TagValue": "ops"}
    ]
    parameter = aws("ssm").get_parameter(Name="/datahub/analytics/key-arn")["Parameter"]
    assert parameter["Value"] == key_arn  # the same key, not a new one


def test_glue_databases_and_athena_workgroups_live_and_die_with_the_stack(aws: Aws) -> None:
    glue, athena = aws("glue"), aws("athena")

    assert deploy(aws, "env", glue_and_athena("first", 10**9), "CREATE") == "CREATE_COMPLETE"
    database = glue.get_database(Name="analytics_sandbox")["Database"]
    assert database["Description"] == "first"
    ssm_value = aws("ssm").get_parameter(Name="/datahub/analytics/database")["Parameter"]["Value"]
    assert ssm_value == "analytics_sandbox"  # Ref gives the name, as on AWS
    work_group = athena.get_work_group(WorkGroup="datahub-analytics-sandbox")["WorkGroup"]
    assert work_group["Configuration"]["BytesScannedCutoffPerQuery"] == 10**9

    assert deploy(aws, "env", glue_and_athena("second", 2 * 10**9), "UPDATE") == "UPDATE_COMPLETE"
    assert glue.get_database(Name="analytics_sandbox")["Database"]["Description"] == "second"
    work_group = athena.get_work_group(WorkGroup="datahub-analytics-sandbox")["WorkGroup"]
    assert work_group["Configuration"]["BytesScannedCutoffPerQuery"] == 2 * 10**9

    aws("cloudformation").delete_stack(StackName="env")
    assert glue.get_databases()["DatabaseList"] == []
    names = [w["Name"] for w in athena.list_work_groups()["WorkGroups"]]
    assert "datahub-analytics-sandbox" not in names


def test_athena_answers_the_protocol_this_botocore_speaks(aws: Aws) -> None:
    # botocore 1.44.18 moved Athena from JSON-RPC (POST / with X-Amz-Target) to rest-json
    # (GET /workgroups/{WorkGroup}, ...); moto 5.2.6 routes only POST /, so every call was 404.
    athena = aws("athena")
    protocol = athena.meta.service_model.protocol

    athena.create_work_group(Name="wg-1", Configuration={"BytesScannedCutoffPerQuery": 10**9})
    athena.create_work_group(Name="wg-2", Description="second")

    work_group = athena.get_work_group(WorkGroup="wg-1")["WorkGroup"]
    assert work_group["Configuration"]["BytesScannedCutoffPerQuery"] == 10**9, protocol
    listed = {w["Name"] for w in athena.list_work_groups()["WorkGroups"]}
    assert {"wg-1", "wg-2"} <= listed
    athena.delete_work_group(WorkGroup="wg-2")
    assert "wg-2" not in {w["Name"] for w in athena.list_work_groups()["WorkGroups"]}


def test_a_bucket_named_by_cloudformation_is_retagged_on_update(aws: Aws) -> None:
    def bucket(team: str) -> dict[str, Any]:
        tags = [{"Key": "datahub:team", "Value": team}]
        return {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": tags}}}}

    assert deploy(aws, "data", bucket("analytics"), "CREATE") == "CREATE_COMPLETE"
    assert deploy(aws, "data", bucket("finance"), "UPDATE") == "UPDATE_COMPLETE"

    (name,) = [b["Name"] for b in aws("s3").list_buckets()["Buckets"]]
    tags = aws("s3").get_bucket_tagging(Bucket=name)["TagSet"]
    assert tags == [{"Key": "datahub:team", "Value": "finance"}]


def events(aws: Aws, stack: str) -> list[tuple[str, str, str | None]]:
    found = aws("cloudformation").describe_stack_events(StackName=stack)["StackEvents"]
    return [
        (e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason")) for e in found
    ]


def test_a_resource_failing_to_create_rolls_the_stack_back_with_its_reason(aws: Aws) -> None:
    aws("ssm").put_parameter(Name="/datahub/analytics/key-arn", Value="taken", Type="String")

    assert deploy(aws, "tagged", tagged_key_and_parameter(), "CREATE") == "ROLLBACK_COMPLETE"

    (failed,) = [e for e in events(aws, "tagged") if e[1] == "CREATE_FAILED"]
    assert failed[0] == "Parameter" and "ParameterAlreadyExists" in str(failed[2])
    assert aws("kms").list_keys()["Keys"] == []  # the key made before it was rolled back


def test_a_resource_failing_to_update_rolls_the_update_back(aws: Aws) -> None:
    assert deploy(aws, "env", glue_and_athena("first", 10**9), "CREATE") == "CREATE_COMPLETE"
    aws("glue").delete_database(Name="analytics_sandbox")  # changed behind the stack's back

    assert deploy(aws, "env", glue_and_athena("second", 10**9), "UPDATE") == (
        "UPDATE_ROLLBACK_COMPLETE"
    )
    (failed,) = [e for e in events(aws, "env") if e[1] == "UPDATE_FAILED"]
    assert failed[0] == "Database" and "EntityNotFoundException" in str(failed[2])


def test_a_taken_port_is_refused_at_once_with_what_to_do() -> None:
    # moto's server thread dies binding a taken port and its start() waited for ever, so
    # `datahubctl up` hung with the embedded PostgreSQL running.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        with pytest.raises(Unavailable) as refused, moto_server(port=taken):
            pass

    assert refused.value.code == "port_in_use"
    assert f"port {taken} on 127.0.0.1" in refused.value.message
    assert "DATAHUB_MOTO_PORT" in refused.value.message
