"""Lambdas: every one in the VPC's private subnets; the AWS Worker fed by its queue."""

from __future__ import annotations

import ast
from pathlib import Path

from datahub_platform.app import STACK_ORDER
from datahub_platform.stacks.functions import (
    AUTHORIZER,
    AWS_WORKER,
    BACKEND,
    FIRST_ADMIN,
    METADATA,
    MIGRATIONS,
    SEARCH_INDEX,
)


def all_functions(platform) -> dict[str, dict]:
    return {
        f"{stack_id}/{logical_id}": function["Properties"]
        for stack_id in STACK_ORDER
        for logical_id, function in platform.resources(stack_id, "AWS::Lambda::Function").items()
    }


def test_every_lambda_runs_in_the_vpc(platform) -> None:
    functions = all_functions(platform)
    assert len(functions) >= 10  # seven handlers and three custom resource frameworks
    for name, props in functions.items():
        vpc = props.get("VpcConfig", {})
        assert vpc.get("SubnetIds") and vpc.get("SecurityGroupIds"), f"{name} is outside the VPC"


def test_each_handler_is_deployed_once(platform) -> None:
    handlers = sorted(props["Handler"] for props in all_functions(platform).values())
    ours = [h for h in handlers if h.startswith("api_lambdas.")]
    expected = [AUTHORIZER, AWS_WORKER, BACKEND, FIRST_ADMIN, METADATA, MIGRATIONS, SEARCH_INDEX]
    assert ours == sorted(handler.name for handler in expected)


def test_the_aws_worker_takes_tasks_from_its_queue_and_reports_failures_per_item(platform) -> None:
    (mapping,) = platform.resources("Workers", "AWS::Lambda::EventSourceMapping").values()
    props = mapping["Properties"]
    assert "Tasks" in str(props["EventSourceArn"])
    assert "DeadLetters" not in str(props["EventSourceArn"])
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    (worker,) = platform.resources("Workers", "AWS::Lambda::Function").values()
    assert worker["Properties"]["Handler"] == AWS_WORKER.name
    # The queue's visibility must exceed the function's timeout, or tasks run twice.
    queues = platform.resources("Queue", "AWS::SQS::Queue")
    tasks = next(q for k, q in queues.items() if k.startswith("Tasks") and "Dead" not in k)
    assert tasks["Properties"]["VisibilityTimeout"] >= 6 * worker["Properties"]["Timeout"]


def test_every_lambda_setting_the_platform_passes_is_one_the_lambdas_read(platform) -> None:
    from api_lambdas.settings import LambdaSettings

    known = {f"DATAHUB_{name.upper()}" for name in LambdaSettings.model_fields}
    for name, props in all_functions(platform).items():
        if not props["Handler"].startswith("api_lambdas."):
            continue
        variables = set(props["Environment"]["Variables"])
        # DATAHUB_LOG_JSON is read by the shared logging set-up, not the settings object.
        unknown = {v for v in variables - known - {"DATAHUB_LOG_JSON"} if v.startswith("DATAHUB_")}
        assert unknown == set(), f"{name} passes settings no Lambda reads: {sorted(unknown)}"


def test_unbundled_lambdas_ship_the_api_lambdas_sources_without_development_parts(
    platform,
) -> None:
    from datahub_platform.config import REPOSITORY_ROOT

    shipped = 0
    for name, props in all_functions(platform).items():
        handler = props["Handler"]
        if not handler.startswith("api_lambdas."):
            continue
        asset = platform.outdir / f"asset.{props['Code']['S3Key'].removesuffix('.zip')}"
        assert (asset / "api_lambdas" / "__init__.py").is_file(), name
        assert sorted(p.name for p in asset.iterdir()) == ["api_lambdas"], name
        module = Path(*handler.split(".")[:-1]).with_suffix(".py")
        assert (REPOSITORY_ROOT / module).is_file(), f"{name}: no module {module} in api_lambdas"
        assert (asset / module).is_file(), f"{name}: {module} is not in its bundle"
        function_name = handler.rsplit(".", 1)[1]
        assert function_name in top_level_names(asset / module), f"{name}: no {handler}"
        shipped += 1
    assert shipped == 7, "every handler module is in its bundle"


def top_level_names(module: Path) -> set[str]:
    """Names a module binds at its top level (functions, classes, assignments)."""
    tree = ast.parse(module.read_text())
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
    return names
