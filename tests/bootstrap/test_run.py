"""How a run counts the stacks it changed, for its last line."""

from __future__ import annotations

from bootstrap.results import DeployAction, StackResult
from bootstrap.run import changed


def result(stack_name: str, action: DeployAction) -> StackResult:
    """One stack's result in the home region."""
    return StackResult(stack_name=stack_name, region="eu-west-1", action=action)


def test_a_stack_deployed_again_for_the_console_origin_counts_once_and_as_changed() -> None:
    first_pass = [result("toolkit", "no_changes"), result("api", "no_changes")]
    origin_pass = [result("api", "updated")]

    assert [r.stack_name for r in changed(first_pass, origin_pass)] == ["api"]
    assert changed(first_pass, [result("api", "no_changes")]) == []
    assert len(changed([result("toolkit", "created"), result("api", "created")], origin_pass)) == 2
