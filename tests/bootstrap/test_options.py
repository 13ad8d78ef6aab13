"""A run's options: its id."""

from __future__ import annotations

from bootstrap.options import new_run_id
from bootstrap.stack_deploy import change_set_id
from cdk_service.cloudformation.changeset import change_set_name


def test_runs_started_within_the_same_second_get_their_own_change_sets() -> None:
    # Two runs a moment apart (a run, then a dry run): the later one must not take up the
    # earlier run's executed change sets by name and report their changes as its own.
    first, second = new_run_id(), new_run_id()

    names = {change_set_name(change_set_id(run, "dh-test-storage")) for run in (first, second)}
    assert len(names) == 2
