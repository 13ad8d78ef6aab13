"""The toolkit stack of our own: an asset bucket under a customer managed key, deploy and
CloudFormation execution roles, and a version parameter, named as CDK's bootstrap names them.

Following CDK's names for a qualifier means any app synthesized with
``DefaultStackSynthesizer(qualifier=...)`` publishes to and deploys through this toolkit.
It is a plain CloudFormation template: no synthesis needed before the platform's own.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from service_contract.targets import CDK_QUALIFIER

# CDK's bootstrap-version rule refuses versions 1 to 5; 6 is the first contract (deploy role,
# execution role, file asset bucket) this toolkit fulfils. Image publishing and lookups are
# not part of it: the service image is given, and the platform does no context lookups.
TOOLKIT_VERSION = "6"
TOOLKIT_REVISION = 1
NONCURRENT_ASSET_DAYS = 30


class Toolkit(BaseModel):
    """The toolkit of one account and region: its stack name and the names it creates."""

    model_config = ConfigDict(frozen=True)

    prefix: str = Field(description="The platform's prefix, which names the toolkit stack")
    account: str
    region: str
    qualifier: str = Field(default=CDK_QUALIFIER, pattern=r"^[a-z0-9]{1,10}$")

    @property
    def stack_name(self) -> str:
        """The toolkit's CloudFormation stack name."""
        return f"{self.prefix}-toolkit"

    @property
    def asset_bucket(self) -> str:
        """The bucket file assets and large templates go to."""
        return f"cdk-{self.qualifier}-assets-{self.account}-{self.region}"

    @property
    def deploy_role_name(self) -> str:
        """The role a deployer assumes to run CloudFormation and publish assets."""
        return f"cdk-{self.qualifier}-deploy-role-{self.account}-{self.region}"

    @property
    def execution_role_name(self) -> str:
        """The role CloudFormation acts as when it changes the platform's stacks."""
        return f"cdk-{self.qualifier}-cfn-exec-role-{self.account}-{self.region}"

    @property
    def version_parameter(self) -> str:
        """The SSM parameter that says which toolkit version is deployed."""
        return f"/cdk-bootstrap/{self.qualifier}/version"

    def role_arn(self, name: str) -> str:
        """The ARN of one of the toolkit's roles."""
        partition = "aws-cn" if self.region.startswith("cn-") else "aws"
        if self.region.startswith("us-gov-"):
            partition = "aws-us-gov"
        return f"arn:{partition}:iam::{self.account}:role/{name}"

    def template(self) -> dict[str, Any]:
        """The toolkit's CloudFormation template."""
        return {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": f"DATAHUB toolkit r{TOOLKIT_REVISION} (qualifier {self.qualifier})",
            "Resources": {
                "AssetKey": _asset_key(),
                "AssetBucket": self._asset_bucket(),
                "AssetBucketPolicy": _tls_only_policy(),
                "ExecutionRole": self._execution_role(),
                "DeployRole": self._deploy_role(),
                "VersionParameter": {
                    # No Tags: moto 5.2's server fails with an HTML 500 on tagged parameters.
                    "Type": "AWS::SSM::Parameter",
                    "Properties": {
                        "Name": self.version_parameter,
                        "Type": "String",
                        "Value": TOOLKIT_VERSION,
                        "Description": "Version of the DATAHUB toolkit in this account and region",
                    },
                },
            },
            "Outputs": {
                "AssetBucketName": {"Value": {"Ref": "AssetBucket"}},
                "AssetKeyArn": {"Value": {"Fn::GetAtt": ["AssetKey", "Arn"]}},
                "DeployRoleArn": {"Value": {"Fn::GetAtt": ["DeployRole", "Arn"]}},
                "ExecutionRoleArn": {"Value": {"Fn::GetAtt": ["ExecutionRole", "Arn"]}},
                "ToolkitVersion": {"Value": TOOLKIT_VERSION},
            },
        }

    def _asset_bucket(self) -> dict[str, Any]:
        encryption = {
            "ServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms",
                "KMSMasterKeyID": {"Fn::GetAtt": ["AssetKey", "Arn"]},
            },
            "BucketKeyEnabled": True,
        }
        expiry = {
            "Id": "ExpireOldAssetVersions",
            "Status": "Enabled",
            "NoncurrentVersionExpiration": {"NoncurrentDays": NONCURRENT_ASSET_DAYS},
        }
        return {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketName": self.asset_bucket,
                "BucketEncryption": {"ServerSideEncryptionConfiguration": [encryption]},
                "PublicAccessBlockConfiguration": {
                    "BlockPublicAcls": True,
                    "BlockPublicPolicy": True,
                    "IgnorePublicAcls": True,
                    "RestrictPublicBuckets": True,
                },
                "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
                "VersioningConfiguration": {"Status": "Enabled"},
                "LifecycleConfiguration": {"Rules": [expiry]},
            },
        }

    def _execution_role(self) -> dict[str, Any]:
        # Like CDK's own execution role: the platform creates IAM roles, VPCs, databases and
        # more, so CloudFormation acting for it needs broad rights; only CloudFormation may
        # assume it, and only the deploy role may pass it.
        return {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": self.execution_role_name,
                "AssumeRolePolicyDocument": _trust("Service", "cloudformation.amazonaws.com"),
                "ManagedPolicyArns": [
                    {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AdministratorAccess"}
                ],
            },
        }

    def _deploy_role(self) -> dict[str, Any]:
        statements = [
            _allow(["cloudformation:*"], "*"),
            _allow(["iam:PassRole"], {"Fn::GetAtt": ["ExecutionRole", "Arn"]}),
            _allow(
                ["s3:GetObject*", "s3:PutObject*", "s3:ListBucket", "s3:GetBucketLocation"],
                [
                    {"Fn::GetAtt": ["AssetBucket", "Arn"]},
                    {"Fn::Sub": "${AssetBucket.Arn}/*"},
                ],
            ),
            _allow(
                ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
                {"Fn::GetAtt": ["AssetKey", "Arn"]},
            ),
            _allow(
                ["ssm:GetParameter", "ssm:GetParameters"],
                {
                    "Fn::Sub": "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}"
                    f":parameter{self.version_parameter}"
                },
            ),
        ]
        return {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": self.deploy_role_name,
                "AssumeRolePolicyDocument": _trust(
                    "AWS", {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
                ),
                "Policies": [
                    {
                        "PolicyName": "deploy",
                        "PolicyDocument": {"Version": "2012-10-17", "Statement": statements},
                    }
                ],
            },
        }


def _asset_key() -> dict[str, Any]:
    # No Tags: moto 5.2's server fails with an HTML 500 on tagged KMS keys.
    return {
        "Type": "AWS::KMS::Key",
        "Properties": {
            "Description": "Encrypts the DATAHUB toolkit's asset bucket",
            "EnableKeyRotation": True,
            "KeyPolicy": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "AccountAdministersTheKey",
                        "Effect": "Allow",
                        "Principal": {
                            "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
                        },
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            },
        },
    }


def _tls_only_policy() -> dict[str, Any]:
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": "AssetBucket"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "TlsOnly",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [
                            {"Fn::GetAtt": ["AssetBucket", "Arn"]},
                            {"Fn::Sub": "${AssetBucket.Arn}/*"},
                        ],
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    }
                ],
            },
        },
    }


def _trust(kind: str, principal: Any) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {kind: principal}, "Action": "sts:AssumeRole"}
        ],
    }


def _allow(actions: list[str], resource: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": actions, "Resource": resource}
