"""What ``datahubctl bootstrap`` tells the operator: every line the steps print, in one place."""

from __future__ import annotations

from collections.abc import Iterable

from bootstrap.results import (
    FRONTEND_URL_OUTPUT,
    ConsoleOrigin,
    PlannedStack,
    StackResult,
    StepResult,
)
from cdk_service.cloudformation.diff import ResourceDiff
from cdk_service.cloudformation.models import ResourceChange, RetainedResource, Teardown

# The rules between phases, and the subjects of notes.
PREFLIGHT = "preflight"
DRY_RUN = "plan (dry run)"
AFTER_DEPLOYMENT = "after deployment"
SYNTHESIZED = "synthesized"
CONSOLE = "console"
CONSOLE_ORIGIN = "console origin"
ENDPOINTS = "endpoints"
SERVICE_IMAGE = "service image"
CREDENTIALS = "credentials"

NO_OUTPUTS = "the stacks returned no Outputs (moto returns none)"
CATALOG_SEED_LEFT_OUT = "left out (--skip-catalog-seed)"
NOTHING_TO_DESTROY = "nothing to destroy: no stack of the platform exists"
AFTER_STACKS_STEPS = ("setup custom resources (report)", "first admin", "catalog seed", "endpoints")
ORIGIN_STEP = "console origin: the Backend API redeployed for the Frontend's URL"


def stack_step(stack_name: str, region: str) -> str:
    """The rule above one stack's deployment."""
    return f"{stack_name} ({region})"


def destroy_step(stack_name: str, region: str) -> str:
    """The rule above one stack's deletion."""
    return f"destroy {stack_name} ({region})"


def deploying(stack_name: str) -> str:
    """The spinner while a stack deploys."""
    return f"{stack_name}: deploying"


def deleting(stack_name: str) -> str:
    """The spinner while a stack is deleted."""
    return f"{stack_name}: deleting"


def synthesized(stacks: int, seconds: float) -> str:
    """How many stacks the synthesis made, and how long it took."""
    return f"{stacks} platform stacks in {seconds:.1f} s"


def service_role(service: str) -> str:
    """The subject of a note about a service-linked role."""
    return f"service-linked role of {service}"


def service_role_ensured(created: bool) -> str:
    """What the deploy step did about a service-linked role."""
    return "created (the account had none)" if created else "present"


def service_role_planned(present: bool) -> str:
    """What a run would do about a service-linked role."""
    return "present" if present else "missing: created first, before the stacks"


def file_assets(uploaded: int, published: int) -> str:
    """A stack's file assets: how many were uploaded, how many were there already."""
    return f"file assets: {uploaded} uploaded, {published - uploaded} already published"


def stack_deployed(result: StackResult) -> str:
    """What deploying one stack did."""
    if result.action == "no_changes":
        return "no changes"
    replaced = " (the failed stack was replaced)" if result.replaced_failed_stack else ""
    return f"{result.action}{replaced}"


def stack_destroyed(teardown: Teardown) -> str:
    """What deleting one stack did."""
    return "was not there" if teardown.outcome == "already_gone" else teardown.outcome


def retained(kept: RetainedResource) -> str:
    """A resource a deleted stack left behind, by its deletion policy."""
    return (
        f"retained {kept.resource_type} {kept.physical_id or kept.logical_id} "
        f"(DeletionPolicy {kept.deletion_policy}): delete it by hand when no longer needed"
    )


def toolkit_bucket_emptied(versions: int) -> str:
    """A toolkit's asset bucket emptied before its stack is deleted."""
    return f"emptied ({versions} object versions)"


def step_result(result: StepResult) -> str:
    """The outcome of a step after the stacks."""
    return f"{result.outcome}: {result.detail}"


def not_an_origin(url: str) -> str:
    """The Frontend stack's URL cannot be the console's origin."""
    return f"{url} is not an origin: left as it was"


def synthesizing_for_origin(url: str) -> str:
    """The app is synthesized again to allow only the Frontend stack's URL."""
    return (
        f"{url} (the Frontend stack's {FRONTEND_URL_OUTPUT}): synthesizing again to allow only it"
    )


def origin_source(origin: ConsoleOrigin) -> str:
    """Why the API allows this origin."""
    return {
        "configured": "console_origin in the configuration",
        "custom_domain": "the custom domain",
        "frontend_stack": f"the Frontend stack's {FRONTEND_URL_OUTPUT} output "
        f"(set console_origin: {origin.origin} in the configuration to synthesize with it "
        "straight away)",
    }[origin.source]


def origin_allowed(
    allowed: list[str],
    *,
    origin: ConsoleOrigin | None,
    synthesized: bool,
    planned: bool,
    frontend_url: str | None,
) -> str:
    """Which origin the Backend API allows (``planned``: will allow, before the stacks) and why.

    ``synthesized``: this run synthesized the assembly; ``frontend_url``: the deployed Frontend
    stack's address, where one is known.
    """
    allows = "will allow" if planned else "allows"
    if allowed != ["*"]:
        why = f"from {origin_source(origin)}" if origin else "as the assembly was synthesized"
        return f"the Backend API {allows} {', '.join(allowed)}, {why}"
    if planned and synthesized:  # no Frontend stack's address yet: the run narrows it later
        return (
            f"the Backend API will allow any origin (*) until the Frontend stack exists: no "
            "console_origin is configured and no custom domain; after the stacks the run "
            f"synthesizes again for its {FRONTEND_URL_OUTPUT} and allows only "
            "that (set console_origin in the configuration to decide it now)"
        )
    if not synthesized:
        why = "the assembly was synthesized without console_origin or a custom domain"
    else:
        why = (
            "no console_origin is configured, no custom domain, and the Frontend stack "
            f"lists no {FRONTEND_URL_OUTPUT} output (moto lists no outputs)"
        )
    todo = (
        f"set console_origin: {frontend_url} in the configuration and synthesize again"
        if frontend_url
        else "set console_origin in the configuration, or run bootstrap again once the "
        "Frontend stack exists"
    )
    return f"the Backend API {allows} any origin (*): {why}; {todo}"


def then(step: str) -> str:
    """A step the dry run says follows the stacks."""
    return f"then: {step}"


def unchanged_stack(stack_name: str, region: str) -> str:
    """A stack the dry run would leave as it is."""
    return f"  {stack_name} ({region}): no changes"


def stack_change(stack_name: str, line: str) -> str:
    """One resource the dry run would change in a stack."""
    return f"  {stack_name}: {line}"


def caller(arn: str, account: str) -> str:
    """Whose credentials the run uses."""
    return f"{arn} (account {account})"


def dry_run_verdict(changes_anything: bool) -> str:
    """The dry run's last line."""
    verdict = "would change" if changes_anything else "would change nothing in"
    return f"dry run: nothing was changed; a run {verdict} the platform"


def installed(changed: int, stacks: int) -> str:
    """A run's last line: how many stacks changed."""
    if changed:
        return f"bootstrap complete: {changed} of {stacks} stacks changed"
    return f"bootstrap complete: no changes ({stacks} stacks up to date)"


def confirm_destroy(stacks: int, prefix: str, account: str) -> str:
    """The question before a teardown."""
    return (
        f"Delete {stacks} stacks of platform {prefix} in account "
        f"{account}? Resources without a retain policy are deleted"
    )


def destroyed(teardowns: Iterable[Teardown]) -> str:
    """A teardown's last line: stacks deleted, resources retained."""
    done = list(teardowns)
    deleted = sum(1 for teardown in done if teardown.outcome != "already_gone")
    kept = sum(len(teardown.retained) for teardown in done)
    return f"destroyed: {deleted} stacks deleted, {kept} resources retained"


def mixed_toolkit_qualifiers(qualifiers: Iterable[str]) -> str:
    """The assembly's stacks expect more than one toolkit."""
    return f"the platform's stacks expect different toolkits: {', '.join(sorted(qualifiers))}"


def assembly_for_another_account(stacks: Iterable[str], account: str) -> str:
    """A given assembly's stacks go to an account other than the configured one."""
    return (
        f"stacks {', '.join(stacks)} of the assembly go to another account than "
        f"{account}: synthesize it for this configuration"
    )


# Preflight's refusals.


def unknown_region(region: str) -> str:
    """A region botocore knows no CloudFormation in."""
    return f"{region} is not an AWS region with CloudFormation"


NO_CREDENTIALS = (
    "no AWS credentials found: set AWS_PROFILE or the AWS_ACCESS_KEY_ID and "
    "AWS_SECRET_ACCESS_KEY variables for the target account"
)


def account_mismatch(account: str, arn: str, target: str) -> str:
    """Credentials of another account than the one to set up."""
    return (
        f"the AWS credentials are for account {account} "
        f"({arn}), not {target}: use credentials of the target account"
    )


# The assembly's refusals.


def unordered_stacks(artifact_ids: Iterable[str]) -> str:
    """Stacks of the app that STACK_ORDER leaves out."""
    return f"the platform app has stacks that STACK_ORDER does not place: {', '.join(artifact_ids)}"


def stack_without_region(artifact_id: str) -> str:
    """A stack synthesized without an environment."""
    return (
        f"platform stack {artifact_id} has no region in its environment; "
        "set env=Environment(account=..., region=...) on it"
    )


def stack_ordered_too_early(artifact_id: str, needs: Iterable[str]) -> str:
    """A stack STACK_ORDER places before a stack it needs."""
    return (
        f"platform stack {artifact_id} depends on {', '.join(needs)}, "
        "which STACK_ORDER places after it"
    )


# The console's build.


def console_build_deployed(dist: object) -> str:
    """The console build the Console stack copies."""
    return f"deploying the build in {dist}"


CONSOLE_PLACEHOLDER = "deploying a placeholder page with config.json"


def no_console_build(dist: object) -> str:
    """No console build: the Console stack deploys a placeholder."""
    return f"no build in {dist}: {CONSOLE_PLACEHOLDER}"


# One stack, from whatever state an earlier run left it in.

LEFT_EMPTY = "was left empty by an earlier run; starting it afresh"


def replacing_failed_creation(status: str, reason: str | None) -> str:
    """A stack whose creation failed is deleted to be created again."""
    return (
        f"is in {status} from an earlier failed creation "
        f"({reason or 'no reason given'}); deleting it to create it again"
    )


def waiting_for_operation(status: str) -> str:
    """Another operation runs on the stack: the run waits for it."""
    return f"is in {status}: waiting for that operation to end"


def stack_stuck(stack_name: str, status: str, reason: str | None) -> str:
    """A stack in a status no change set can leave."""
    return (
        f"stack {stack_name} is in {status} ({reason or 'no reason'}); "
        "fix it in the CloudFormation console (continue the rollback or retain the failed "
        "resources), then run bootstrap again"
    )


def stack_not_executed(stack_name: str, problem: str) -> str:
    """CloudFormation refused to run the stack's change set."""
    return f"stack {stack_name} failed to deploy: {problem}; fix the cause and run bootstrap again"


def stack_failed(
    stack_name: str, status: str, failed_resource: str | None, reason: str | None
) -> str:
    """A stack's operation ended in failure."""
    where = f" at {failed_resource}" if failed_resource else ""
    return (
        f"stack {stack_name} ended {status}{where}: "
        f"{reason or 'no reason given'}; fix the cause and run bootstrap again"
    )


def stack_still_running(stack_name: str, status: str, seconds: float) -> str:
    """A stack's operation outlasted the wait."""
    return (
        f"stack {stack_name} is still {status} after "
        f"{seconds:g} s; run bootstrap again to keep waiting"
    )


def stack_not_deleted(stack_name: str, status: str, reason: str | None) -> str:
    """A stack's deletion ended in failure."""
    return f"stack {stack_name} could not be deleted: {status} ({reason})"


def not_protected(problem: str) -> str:
    """Termination protection could not be turned on."""
    return f"termination protection NOT turned on: {problem[:200]}"


def bucket_emptied(bucket: str, versions: int) -> str:
    """A stack's bucket emptied so that CloudFormation can delete it."""
    return f"emptied bucket {bucket} ({versions} object versions)"


# One stack in the dry run.


def failed_creation_replaced(reason: str | None) -> str:
    """The dry run: a failed creation is deleted and created again."""
    return f"failed creation ({reason or 'no reason'}): deleted, then created again"


def cannot_change(status: str) -> str:
    """The dry run: a stack in a status no change set can leave."""
    return f"cannot be changed in {status}: fix it in the console first"


def waits_for(status: str) -> str:
    """The dry run: the run waits for the stack's operation first."""
    return f"{status}: the run waits for it, then deploys this"


def change_set_line(change: ResourceChange) -> str:
    """One resource of a stack's change set."""
    replaced = change.replacement not in (None, "False")
    return f"{change.action} {change.logical_id} ({change.resource_type})" + (
        f" replacement={change.replacement}" if replaced else ""
    )


def template_diff_line(resource: ResourceDiff) -> str:
    """One resource of the diff between the deployed template and the new one."""
    paths = ", ".join(change.path for change in resource.changes[:5])
    return (
        f"{resource.action} {resource.logical_id} ({resource.resource_type})"
        + (f": {paths}" if resource.changes else "")
        + (" (replacement)" if resource.replacement else "")
    )


def change_lines(stack: PlannedStack) -> list[str]:
    """One line per resource the dry run would change in a stack."""
    if stack.changes:
        return [change_set_line(change) for change in stack.changes]
    return [template_diff_line(resource) for resource in stack.diff.resources]


def no_change_set_preview(problem: str) -> str:
    """The dry run could make no change set: it shows the template diff."""
    return f"no change set preview ({problem}); showing the template diff"


# After the stacks, and the seed.


def custom_resource(logical_id: str, stack_name: str, status: str | None) -> str:
    """What one setup custom resource did."""
    return f"custom resource {logical_id} of {stack_name} is {status or 'in an unknown state'}"


NO_CUSTOM_RESOURCES = "no custom resource exists (moto's CloudFormation does not create them)"
NO_USER_POOL = "the platform has no user pool"
NO_BACKEND_LAMBDA = "the platform has no Backend Lambda"


def admin_exists(email: str, pool: str) -> str:
    """The first admin was made by an earlier run."""
    return f"{email} exists in user pool {pool}; its temporary password went by email"


def admin_created(email: str, group: str, pool: str, password: str) -> str:
    """The first admin, with the temporary password shown this once."""
    return (
        f"{email} created in group {group} of user pool {pool} with the temporary "
        f"password {password} (shown once; it must be changed at the first sign-in)"
    )


def published(versions: Iterable[str]) -> str:
    """The templates the catalog seed published."""
    return f"published {', '.join(versions)}"


def publish_failed(name: str, version: str, function: str, problem: object) -> str:
    """The Backend Lambda refused to publish a built-in template."""
    return f"publishing {name} {version} through {function} failed: {problem}"


# The service image.


def image_built(stack_name: str, repositories: Iterable[str]) -> str:
    """The Service stack builds the image in the account."""
    return (
        "built in the account (no service_image configured): the "
        f"{stack_name} stack's CodeBuild project runs the repository's "
        f"Dockerfile and pushes to ECR repository {', '.join(repositories)} (scan on "
        "push, immutable tags); the tasks run the image by digest"
    )


def image_given(image: object) -> str:
    """The configured image is run as it is."""
    return f"{image} (service_image in the configuration): nothing is built"
