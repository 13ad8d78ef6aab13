"""moto's server for local runs and tests, with a compatibility patch for what templates use.

moto 5.2 (5.2.5 is the newest release) cannot deploy the catalog templates as synthesized:

- It crashes, answering an HTML 500, when CloudFormation creates an ``AWS::KMS::Key`` or an
  ``AWS::SSM::Parameter`` with ``Tags``. CloudFormation writes tags as ``[{"Key", "Value"}]``
  (KMS) and ``{key: value}`` (SSM), but moto hands them unchanged to its API backends, which
  read the APIs' shapes: ``[{"TagKey", "TagValue"}]`` (``KeyError: 'TagKey'``) and
  ``[{"Key", "Value"}]`` (``TypeError``).
- Its CloudFormation skips ``AWS::Glue::Database`` and ``AWS::Athena::WorkGroup``; a ``Ref``
  to them is then empty and the SSM parameter publishing the name fails validation.

The patch rewrites those tags into the shapes moto's backends read before moto's code runs,
and adds the two types (``moto_resources``), in the moto server of this process only. Nothing
the service sends changes: real AWS receives the templates exactly as synthesized.
"""

from __future__ import annotations

import copy
import logging
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from moto.cloudformation import parsing
from moto.kms.models import Key
from moto.server import ThreadedMotoServer
from moto.ssm.models import Parameter

from cdk_service.local.moto_resources import ADDED_RESOURCE_TYPES
from cdk_service.local.tags import cloudformation_tags_as_map, key_value_list, kms_api_tags

CreateFromCloudFormation = Callable[..., Any]


@dataclass(frozen=True)
class TagPatch:
    """A resource type whose CloudFormation ``Tags`` moto reads in its API's shape."""

    resource: type
    api_tags: Callable[[dict[str, str]], list[dict[str, str]]]

    @property
    def original(self) -> CreateFromCloudFormation:
        """moto's own ``create_from_cloudformation_json``, patched or not."""
        current = self.resource.create_from_cloudformation_json  # type: ignore[attr-defined]
        return getattr(current, "moto_original", current)  # type: ignore[no-any-return]

    def apply(self) -> None:
        """Rewrite the tags before moto's code runs; applying twice changes nothing."""
        original, api_tags = self.original, self.api_tags

        def create_from_cloudformation_json(
            cls: type, resource_name: str, cloudformation_json: Any, *args: Any, **kwargs: Any
        ) -> Any:
            if "Tags" in cloudformation_json.get("Properties", {}):
                cloudformation_json = copy.deepcopy(cloudformation_json)
                properties = cloudformation_json["Properties"]
                properties["Tags"] = api_tags(cloudformation_tags_as_map(properties["Tags"]))
            return original(resource_name, cloudformation_json, *args, **kwargs)

        create_from_cloudformation_json.moto_original = original  # type: ignore[attr-defined]
        self.resource.create_from_cloudformation_json = classmethod(  # type: ignore[attr-defined]
            create_from_cloudformation_json
        )


TAG_PATCHES = (
    TagPatch(resource=Key, api_tags=kms_api_tags),
    TagPatch(resource=Parameter, api_tags=key_value_list),
)


def apply_compatibility_patch() -> None:
    """Patch moto, in this process, to deploy what the catalog templates synthesize."""
    for patch in TAG_PATCHES:
        patch.apply()
    # moto lists its CloudFormation types once, from CloudFormationModel's subclasses; the
    # added types are subclasses now (imported above), so list them again.
    assert all(t in parsing.CloudFormationModel.__subclasses__() for t in ADDED_RESOURCE_TYPES)
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()


@dataclass(frozen=True)
class MotoServer:
    """A running moto server: where to reach it."""

    url: str

    def reset(self) -> None:
        """Empty every account and region."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass


@contextmanager
def moto_server(host: str = "127.0.0.1", port: int = 0) -> Iterator[MotoServer]:
    """moto's server, patched, in a thread of this process (``port`` 0: a free one)."""
    apply_compatibility_patch()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    bound_host, bound_port = server.get_host_and_port()
    try:
        yield MotoServer(url=f"http://{bound_host}:{bound_port}")
    finally:
        server.stop()
