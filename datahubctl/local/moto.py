"""moto's server for local runs and tests, with a compatibility patch for what templates use.

moto 5.2 (5.2.5 is the newest release) cannot deploy the catalog templates as synthesized:

- It crashes, answering an HTML 500, when CloudFormation creates an ``AWS::KMS::Key`` or an
  ``AWS::SSM::Parameter`` with ``Tags``. CloudFormation writes tags as ``[{"Key", "Value"}]``
  (KMS) and ``{key: value}`` (SSM), but moto hands them unchanged to its API backends, which
  read the APIs' shapes: ``[{"TagKey", "TagValue"}]`` (``KeyError: 'TagKey'``) and
  ``[{"Key", "Value"}]`` (``TypeError``).
- It crashes (``KeyError: 'BucketName'``) updating a tagged bucket that CloudFormation
  named (no ``BucketName`` property): its update reads the name from the properties.
- It drops a KMS key whose properties change in an update (no update hook), and the next
  ``Fn::GetAtt`` on it fails the update.
- A resource that fails makes ``ExecuteChangeSet`` itself fail and the stack stay in progress
  for ever, with no failure event (``moto_failures`` rolls back as CloudFormation does).
- Its CloudFormation skips ``AWS::Glue::Database`` and ``AWS::Athena::WorkGroup``; a ``Ref``
  to them is then empty and the SSM parameter publishing the name fails validation.
- Its server routes Athena only as JSON-RPC (``POST /``), but botocore calls Athena as
  rest-json from 1.44.18 (``GET /workgroups/{WorkGroup}``...): every call was a 404. moto's
  responses already find the operation and its path parameters from botocore's model; the
  patch routes every Athena path to them (``ATHENA_REST_PATHS``).
- Its update of an ``AWS::IAM::Role`` changes only the description, not the trust policy
  (``moto_roles``): a dataset share's grant would seem to do nothing.
- Its server hands a browser's CORS preflight of Cognito (``OPTIONS /``, the console's
  sign-in) to S3, which fails it with an HTML 500 and no CORS headers: the browser never
  signs in. ``moto_server`` serves moto behind ``moto_browser.BrowserCors``, which answers it.

The patch rewrites those properties into what moto's code reads before it runs, gives keys
an update hook and adds the two types (``moto_resources``), in the moto server of this
process only. Nothing the service sends changes: real AWS receives the templates exactly as
synthesized.
"""

from __future__ import annotations

import copy
import inspect
import logging
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from moto.athena import urls as athena_urls
from moto.athena.responses import AthenaResponse
from moto.cloudformation import parsing
from moto.kms.models import Key
from moto.s3.models import FakeBucket
from moto.ssm.models import Parameter

from datahubctl.local.moto_browser import serving_for_browsers
from datahubctl.local.moto_failures import apply_failure_semantics
from datahubctl.local.moto_resources import ADDED_RESOURCE_TYPES, update_key
from datahubctl.local.moto_roles import apply_role_trust_updates
from datahubctl.local.ports import refuse_a_taken_port
from datahubctl.local.tags import cloudformation_tags_as_map, key_value_list, kms_api_tags

Hook = Callable[..., Any]
Rewrite = Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class PropertiesPatch:
    """One of moto's CloudFormation hooks, given the properties in the shape its code reads.

    ``rewrite`` takes the resource's properties and the hook's other arguments by name, and
    returns the properties to pass on (the template itself is never changed).
    """

    resource: type
    hook: str
    rewrite: Rewrite

    @property
    def original(self) -> Hook:
        """moto's own hook, patched or not."""
        current = getattr(self.resource, self.hook)
        return getattr(current, "moto_original", current)  # type: ignore[no-any-return]

    def apply(self) -> None:
        """Rewrite the properties before moto's code runs; applying twice changes nothing."""
        original, rewrite = self.original, self.rewrite
        signature = inspect.signature(original)

        def patched(cls: type, *args: Any, **kwargs: Any) -> Any:
            bound = signature.bind(*args, **kwargs)
            template = bound.arguments["cloudformation_json"]
            properties = rewrite(copy.deepcopy(template.get("Properties", {})), bound.arguments)
            bound.arguments["cloudformation_json"] = {**template, "Properties": properties}
            return original(*bound.args, **bound.kwargs)

        patched.moto_original = original  # type: ignore[attr-defined]
        setattr(self.resource, self.hook, classmethod(patched))


def tags_as(api_tags: Callable[[dict[str, str]], list[dict[str, str]]]) -> Rewrite:
    """A rewrite of CloudFormation's ``Tags`` into an API's shape."""

    def rewrite(properties: dict[str, Any], _: dict[str, Any]) -> dict[str, Any]:
        if "Tags" in properties:
            properties["Tags"] = api_tags(cloudformation_tags_as_map(properties["Tags"]))
        return properties

    return rewrite


def known_bucket_name(properties: dict[str, Any], arguments: dict[str, Any]) -> dict[str, Any]:
    """The bucket's name, which moto's update reads from the properties to retag it."""
    properties.setdefault("BucketName", arguments["original_resource"].name)
    return properties


CREATE, UPDATE = "create_from_cloudformation_json", "update_from_cloudformation_json"
# Read before any patch: True while moto's keys have no update hook of their own.
KEY_UPDATE_MISSING = getattr(getattr(Key, UPDATE), "__isabstractmethod__", False)
PATCHES = (
    PropertiesPatch(resource=Key, hook=CREATE, rewrite=tags_as(kms_api_tags)),
    PropertiesPatch(resource=Parameter, hook=CREATE, rewrite=tags_as(key_value_list)),
    PropertiesPatch(resource=FakeBucket, hook=UPDATE, rewrite=known_bucket_name),
)


# Any path under Athena's endpoint: rest-json names the operation by method and path.
ATHENA_REST_PATHS = "{0}/(?P<path>.+)$"


def apply_compatibility_patch() -> None:
    """Patch moto, in this process, to deploy what the catalog templates synthesize."""
    for patch in PATCHES:
        patch.apply()
    athena_urls.url_paths.setdefault(ATHENA_REST_PATHS, AthenaResponse.dispatch)
    if KEY_UPDATE_MISSING:
        Key.update_from_cloudformation_json = classmethod(update_key)  # type: ignore[assignment]
    apply_failure_semantics()
    apply_role_trust_updates()
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
    """moto's server, patched, in threads of this process (``port`` 0: a free one), answering
    browsers as AWS does (CORS preflights, ``moto_browser``)."""
    apply_compatibility_patch()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    # A taken port is refused with the setting that moves it (moto's own server thread died
    # binding it, and its start() waited for ever).
    refuse_a_taken_port(
        host, port, what="moto's server", setting="DATAHUB_MOTO_PORT", hint=" (0: any free one)"
    )
    with serving_for_browsers(host, port) as (bound_host, bound_port):
        yield MotoServer(url=f"http://{bound_host}:{bound_port}")
