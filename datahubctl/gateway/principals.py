"""IAM principals the local gateway accepts signatures from: a demo pipeline user on moto."""

from __future__ import annotations

from typing import Any

from datahubctl.gateway.sigv4 import IamPrincipal

DEMO_PIPELINE = "datahub-demo-pipeline"


def ensure_pipeline_user(iam: Any, name: str = DEMO_PIPELINE) -> IamPrincipal:
    """An IAM user with a fresh access key (a secret is only shown when a key is created).

    Older keys of the user are deleted, so running this again leaves one working key.
    """
    try:
        user = iam.get_user(UserName=name)["User"]
    except iam.exceptions.NoSuchEntityException:
        user = iam.create_user(UserName=name)["User"]
    for key in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]:
        iam.delete_access_key(UserName=name, AccessKeyId=key["AccessKeyId"])
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return IamPrincipal(
        access_key_id=key["AccessKeyId"],
        secret_access_key=key["SecretAccessKey"],
        arn=user["Arn"],
        account_id=user["Arn"].split(":")[4],
        user_id=user["UserId"],
    )


def assumed_role_session(
    sts: Any, role_arn: str, session_name: str, *, duration_seconds: int = 3600
) -> IamPrincipal:
    """Temporary credentials of a session of ``role_arn``, as API Gateway names its caller.

    The gateway accepts them once they are among its principals: their session token must come
    with every request, until they expire.
    """
    answer = sts.assume_role(
        RoleArn=role_arn, RoleSessionName=session_name, DurationSeconds=duration_seconds
    )
    credentials, assumed = answer["Credentials"], answer["AssumedRoleUser"]
    return IamPrincipal(
        access_key_id=credentials["AccessKeyId"],
        secret_access_key=credentials["SecretAccessKey"],
        arn=assumed["Arn"],
        account_id=assumed["Arn"].split(":")[4],
        user_id=assumed["AssumedRoleId"],
        session_token=credentials["SessionToken"],
        expires_at=credentials["Expiration"],
    )
