"""What a bundle may import: the standard library, itself and what the image installs."""

from __future__ import annotations

import pytest

from cdk_service.bundles.archive import Limits, read_bundle
from cdk_service.bundles.imports import check_imports, provided_distributions
from service_contract.errors import InvalidInput
from tests.cdk_service.bundles.bundles import zipped

CODE = b"""
import json, os.path
from . import stack
from .stack import thing
from pkg.helpers import tool
import aws_cdk as cdk
from constructs import Construct
from stack_catalog.contract import Template
"""


def missing(files: dict[str, bytes]) -> list[str]:
    with pytest.raises(InvalidInput) as refused:
        check_imports(read_bundle(zipped(files), limits=Limits()))
    assert refused.value.code == "bundle_missing_packages"
    assert isinstance(refused.value.details, dict)
    found: list[str] = refused.value.details["missing"]
    return found


def test_the_image_provides_the_cdk_pydantic_and_the_catalog_contract() -> None:
    check_imports(read_bundle(zipped({"pkg/__init__.py": CODE}), limits=Limits()))
    assert {"aws-cdk-lib", "constructs", "cdk-nag", "pydantic"} <= provided_distributions()
    assert "pytest" not in provided_distributions()  # the tests' tools are not the image's


def test_imports_the_image_lacks_are_named() -> None:
    files = {"pkg/__init__.py": CODE + b"import numpy\nfrom yaml_extras.x import y\n"}
    assert missing(files) == ["numpy", "yaml_extras"]


def test_a_wheel_requiring_what_the_image_lacks_is_refused() -> None:
    metadata = (
        b"Metadata-Version: 2.1\nName: pkg\nVersion: 1.0.0\n"
        b"Requires-Dist: pydantic>=2\nRequires-Dist: polars (>=1.0)\n"
        b'Requires-Dist: pytest; extra == "test"\n'
    )
    files = {"pkg/__init__.py": CODE, "pkg-1.0.0.dist-info/METADATA": metadata}
    assert missing(files) == ["polars"]


def test_files_outside_the_package_are_not_its_code() -> None:
    files = {"pkg/__init__.py": CODE, "tests/test_pkg.py": b"import pytest\n"}
    check_imports(read_bundle(zipped(files), limits=Limits()))
