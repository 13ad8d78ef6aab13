"""``datahubctl synth``: render a template version to CloudFormation without deploying."""

from __future__ import annotations

import json
from pathlib import Path

import click

from datahubctl.cli import client_of, console, errors, main, parse_assignment, run


@main.command()
@click.argument("template")
@click.option("--version", help="Template version; the newest published one by default")
@click.option("--team", required=True, help="The team the stack would belong to")
@click.option("--param", "params", multiple=True, help="A parameter as key=value (repeatable)")
@click.option("--account", help="Target account id")
@click.option("--region", help="Target region")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the template here",
)
@click.pass_context
def synth(
    ctx: click.Context,
    template: str,
    version: str | None,
    team: str,
    params: tuple[str, ...],
    account: str | None,
    region: str | None,
    output: Path | None,
) -> None:
    """Synthesize TEMPLATE for a team, with cdk-nag, and print or save the CloudFormation."""
    body = {
        "template": template,
        "version": version,
        "team": team,
        "params": dict(parse_assignment(p) for p in params),
        "account": account,
        "region": region,
    }
    outcome = run(client_of(ctx).request("POST", "/v1/synth", body=body))
    result = outcome["result"]
    for finding in result["findings"]:
        errors.print(f"warning {finding['rule_id']} at {finding['resource']}: {finding['message']}")
    rendered = json.dumps(result["template"], indent=2)
    if output is None:
        console.print_json(rendered)
        return
    output.write_text(rendered + "\n")
    cached = " (cached)" if result["cached"] else ""
    errors.print(
        f"{outcome['template']} {outcome['version']} → {output}: "
        f"{len(result['template'].get('Resources', {}))} resources, "
        f"digest {result['digest'][:12]}, {result['duration_ms']:.0f} ms{cached}"
    )
