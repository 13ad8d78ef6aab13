"""The template kit: writes a new template package that follows the catalog's contract."""

from __future__ import annotations

import re
from pathlib import Path

from stack_catalog.contract import SEMVER_PATTERN, SLUG_PATTERN


def package_name(name: str) -> str:
    """The Python package of a template named ``name`` (a slug)."""
    return f"{name.replace('-', '_')}_template"


def class_name(name: str) -> str:
    """The stack class of a template named ``name``."""
    return "".join(part.capitalize() for part in name.split("-")) + "Stack"


def write_template_package(folder: Path, name: str, *, version: str = "1.0.0") -> Path:
    """Write the package of a new template into ``folder/<name>``; returns that folder."""
    if not re.match(SLUG_PATTERN, name):
        raise ValueError(f"{name!r} is not a template name (lower-case letters, digits, dashes)")
    if not re.match(SEMVER_PATTERN, version):
        raise ValueError(f"{version!r} is not a semantic version")
    root = folder / name
    if root.exists():
        raise FileExistsError(f"{root} exists already")
    package = package_name(name)
    values = {"name": name, "version": version, "package": package, "cls": class_name(name)}
    files = {
        f"{package}/__init__.py": INIT,
        f"{package}/stack.py": STACK,
        f"tests/test_{package}.py": TEST,
        "pyproject.toml": PYPROJECT,
        "README.md": README,
    }
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(**values).lstrip())
    return root


INIT = '''
"""The {name} template: a team's setting, kept as an SSM parameter."""

from __future__ import annotations

from pydantic import Field

from stack_catalog.contract import Template, TemplateParams

# Every output the stack exports, with what it holds (the catalog shows these).
OUTPUTS = {{"ParameterName": "Name of the SSM parameter holding the setting"}}


class Params(TemplateParams):
    """What a team chooses when it requests a {name}: every field has a description."""

    setting_name: str = Field(
        pattern=r"^[a-z][a-z0-9-]{{0,62}}$", description="Name of the setting, unique in the team"
    )
    value: str = Field(default="on", max_length=256, description="The setting's value")


TEMPLATES = [
    Template(
        name="{name}",
        version="{version}",
        title="{name}",
        description="A team setting kept as an SSM parameter (made with datahubctl templates new)",
        params=Params,
        stack="{package}.stack:{cls}",
        outputs=OUTPUTS,
    )
]

# Params that synthesize cleanly: the upload check synthesizes each template with them.
EXAMPLE_PARAMS = {{"{name}": {{"setting_name": "example"}}}}
'''

STACK = '''
"""The {name} stack: built from its params and context only, no I/O."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from stack_catalog.contract import DeployContext

from {package} import Params


class {cls}(cdk.Stack):
    """One SSM parameter named after the team and the setting."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        params: Params,
        context: DeployContext,
        **stack_kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **stack_kwargs)
        parameter = ssm.StringParameter(
            self,
            "Setting",
            parameter_name=f"/datahub/{{context.team}}/{{params.setting_name}}",
            string_value=params.value,
        )
        cdk.CfnOutput(self, "ParameterName", value=parameter.parameter_name)
'''

TEST = '''
"""The {name} template synthesizes its example params; run: pytest tests/"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk.assertions import Template as Assertions

from {package} import EXAMPLE_PARAMS, TEMPLATES
from stack_catalog.contract import DeployContext

CONTEXT = DeployContext(account="123456789012", region="us-east-1", team="example", stack_name="T")


def test_example_params_synthesize_to_one_parameter() -> None:
    template = TEMPLATES[0]
    params = template.parse_params(EXAMPLE_PARAMS[template.name])
    app = cdk.App()
    stack = template.load_stack_class()(app, "T", params=params, context=CONTEXT)
    Assertions.from_stack(stack).resource_count_is("AWS::SSM::Parameter", 1)
'''

PYPROJECT = """
[project]
name = "{package}"
version = "{version}"
description = "DATAHUB catalog template {name}"
requires-python = ">=3.11"
# Only what the DATAHUB service image provides: a bundle needing more is refused at upload.
dependencies = []

[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[tool.setuptools]
packages = ["{package}"]
"""

README = """
# {name}

A DATAHUB catalog template. Check it as publishing will, then upload it:

    datahubctl templates check .
    datahubctl templates upload .
    datahubctl templates publish {name} {version}
"""
