"""How a template reaches CloudFormation: inline when small, through the asset bucket if not."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from service_contract.aws_errors import aws_call
from service_contract.targets import Target

# CloudFormation takes at most 51,200 bytes of TemplateBody; larger ones go by TemplateURL.
MAX_INLINE_BYTES = 51_200
TEMPLATE_PREFIX = "datahub/templates"


def template_argument(s3: Any, target: Target, template: Mapping[str, Any]) -> dict[str, str]:
    """``TemplateBody`` for a small template, else ``TemplateURL`` of a copy in the asset bucket."""
    body = json.dumps(template, separators=(",", ":"))
    if len(body.encode()) <= MAX_INLINE_BYTES:
        return {"TemplateBody": body}
    key = f"{TEMPLATE_PREFIX}/{hashlib.sha256(body.encode()).hexdigest()}.json"
    aws_call(s3, "put_object", Bucket=target.asset_bucket, Key=key, Body=body.encode())
    domain = "amazonaws.com.cn" if target.partition == "aws-cn" else "amazonaws.com"
    return {"TemplateURL": f"https://{target.asset_bucket}.s3.{target.region}.{domain}/{key}"}
