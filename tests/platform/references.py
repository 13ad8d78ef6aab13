"""Which resources a value in a synthesized template points at."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def mentioned(value: Any, logical_ids: Iterable[str]) -> set[str]:
    """The logical ids that ``value`` refers to, directly or through a cross-stack export.

    CDK names an export after the producer's logical id (``...ExportsOutputRefVpcSubnet1...``),
    and logical ids end in a hash, so a plain search finds exactly the resources referred to.
    """
    text = json.dumps(value)
    return {logical_id for logical_id in logical_ids if logical_id in text}
