"""What the operator reads: the lines the steps print, from their results."""

from __future__ import annotations

from bootstrap import messages
from bootstrap.results import ConsoleOrigin, DeployAction, StackResult
from cdk_service.cloudformation.models import RetainedResource, Teardown

FRONTEND = "https://d111111abcdef8.cloudfront.net"


def test_a_stacks_result_says_what_changed_and_whether_a_failed_stack_was_replaced() -> None:
    def said(action: DeployAction, replaced: bool = False) -> str:
        result = StackResult(
            stack_name="s", region="r", action=action, replaced_failed_stack=replaced
        )
        return messages.stack_deployed(result)

    assert said("no_changes") == "no changes"
    assert said("updated") == "updated"
    assert said("created", replaced=True) == "created (the failed stack was replaced)"


def test_a_run_ends_with_how_many_stacks_changed() -> None:
    assert messages.installed(1, 5) == "bootstrap complete: 1 of 5 stacks changed"
    assert messages.installed(0, 5) == "bootstrap complete: no changes (5 stacks up to date)"
    assert messages.dry_run_verdict(True).endswith("a run would change the platform")
    assert messages.dry_run_verdict(False).endswith("a run would change nothing in the platform")


def test_a_teardown_counts_deleted_stacks_and_retained_resources() -> None:
    queue = RetainedResource(
        logical_id="Jobs",
        resource_type="AWS::SQS::Queue",
        physical_id="https://queue/jobs",
        deletion_policy="Retain",
    )
    teardowns = [
        Teardown(stack_name="a", outcome="deleted", retained=[queue]),
        Teardown(stack_name="b", outcome="already_gone"),
    ]

    assert messages.destroyed(teardowns) == "destroyed: 1 stacks deleted, 1 resources retained"
    assert messages.stack_destroyed(teardowns[1]) == "was not there"
    assert messages.retained(queue).startswith("retained AWS::SQS::Queue https://queue/jobs")


def test_the_origin_the_api_allows_says_where_it_came_from() -> None:
    configured = ConsoleOrigin(origin="https://console.example", source="configured")
    learnt = ConsoleOrigin(origin=FRONTEND, source="frontend_stack")

    def said(
        allowed: list[str],
        origin: ConsoleOrigin | None,
        *,
        synthesized: bool = True,
        planned: bool = False,
        frontend_url: str | None = None,
    ) -> str:
        return messages.origin_allowed(
            allowed,
            origin=origin,
            synthesized=synthesized,
            planned=planned,
            frontend_url=frontend_url,
        )

    assert said([configured.origin], configured) == (
        "the Backend API allows https://console.example, from console_origin in the configuration"
    )
    assert f"set console_origin: {FRONTEND} in the configuration to synthesize" in said(
        [FRONTEND], learnt
    )
    assert "will allow any origin (*) until the Frontend stack exists" in said(
        ["*"], None, planned=True
    )
    given = said(["*"], None, synthesized=False, frontend_url=FRONTEND)
    assert "synthesized without console_origin or a custom domain" in given
    assert given.endswith(
        f"set console_origin: {FRONTEND} in the configuration and synthesize again"
    )
    unknown = said(["*"], None)
    assert "lists no FrontendUrl output" in unknown
    assert unknown.endswith("or run bootstrap again once the Frontend stack exists")
