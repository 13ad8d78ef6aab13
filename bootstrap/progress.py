"""What the operator sees: the plan, live stack events, and each step's outcome (rich)."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bootstrap.plan import Plan, PlannedStack
from bootstrap.preflight import PreflightReport
from cdk_service.cloudformation.models import StackEvent

ACTION_STYLES = {
    "create": "green",
    "update": "yellow",
    "replace": "red",
    "no_changes": "dim",
    "wait": "cyan",
    "blocked": "red",
}


class Reporter:
    """Prints bootstrap progress to a console."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def step(self, title: str) -> None:
        """A new phase of the bootstrap."""
        self.console.rule(title, align="left")

    def waiting(self, what: str) -> AbstractContextManager[object]:
        """A spinner while a stack operation runs (events print above it; none off a tty)."""
        return self.console.status(what)

    def note(self, subject: str, message: str) -> None:
        """Something the operator should know about one stack or step."""
        self.console.print(
            Text(subject, style="bold").append(f" {message}", style=""), soft_wrap=True
        )

    def event(self, stack: str, event: StackEvent) -> None:
        """One live stack event."""
        status = event.status
        style = "red" if "FAILED" in status else "green" if status.endswith("COMPLETE") else "cyan"
        line = Text(f"{event.timestamp:%H:%M:%S} ", style="dim")
        line.append(f"{status:<28}", style=style)
        line.append(f" {event.logical_id} ({event.resource_type})")
        if event.reason:
            line.append(f"  {event.reason}", style="dim")
        self.console.print(line, soft_wrap=True)

    def plan(self, plan: Plan) -> None:
        """The plan: every stack in order with its action, then each stack's changes."""
        table = Table("#", "stack", "region", "now", "action", "changes", "assets", "preview")
        for number, stack in enumerate(plan.stacks, start=1):
            table.add_row(
                str(number),
                stack.stack_name,
                stack.region,
                stack.status or "-",
                Text(stack.action, style=ACTION_STYLES.get(stack.action, "")),
                str(stack.change_count),
                str(stack.file_assets),
                stack.preview_source,
            )
        for role in plan.service_roles:
            said = "present" if role.present else "missing: created first, before the stacks"
            self.note(f"service-linked role of {role.service}", said)
        self.console.print(table)
        for stack in plan.stacks:
            self._changes(stack)
        if plan.service_image:
            self.note("service image", plan.service_image)
        if plan.console_origin:
            self.note("console origin", plan.console_origin)
        for step in plan.post_deploy:
            self.console.print(f"then: {step}", soft_wrap=True)

    def _changes(self, stack: PlannedStack) -> None:
        if stack.note:
            self.note(stack.stack_name, stack.note)
        if stack.action == "no_changes":
            self.console.print(f"  {stack.stack_name} ({stack.region}): no changes", soft_wrap=True)
        for line in stack.change_lines():
            self.console.print(f"  {stack.stack_name}: {line}", soft_wrap=True, markup=False)

    def survey(self, report: PreflightReport) -> None:
        """What preflight found."""
        self.note("credentials", f"{report.caller_arn} (account {report.account})")
        self.console.print(survey_table(report))

    def outputs(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """The platform's endpoints and other outputs."""
        table = Table("stack", "output", "value")
        for row in rows:
            table.add_row(*row)
        self.console.print(table)


def survey_table(report: PreflightReport) -> Table:
    """What preflight found: each stack and its status."""
    table = Table("stack", "region", "status")
    for stack in report.stacks:
        table.add_row(stack.stack_name, stack.region, stack.status or Text("absent", style="dim"))
    return table
