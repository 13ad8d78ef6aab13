"""The platform's cloud assembly for a run: synthesized with the Lambda bundle, or given."""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from datahub_platform.config import PlatformConfig

from bootstrap import messages
from bootstrap.assembly import PlatformAssembly, read_assembly, synthesize
from bootstrap.bundles import (
    LambdaRuntime,
    build_lambda_bundle,
    installed_dependencies,
    with_bundle,
)
from bootstrap.console_build import ensure_console_built
from bootstrap.options import PLATFORM_APP, Options
from bootstrap.progress import Reporter
from service_contract.errors import InvalidInput

# The platform's Lambdas run Python 3.14 on arm64 (datahub_platform.stacks.functions).
RUNTIME = LambdaRuntime(python_version="3.14", architecture="arm64")
# Each synth of a run has a folder of its own under the workdir: the one synthesized for the
# console's origin leaves the first as it was, the assembly the first pass deployed.
ASSEMBLY_FOLDER = "assembly"
ORIGIN_ASSEMBLY_FOLDER = "assembly-origin"


@dataclass(frozen=True)
class Synthesized:
    """An assembly this run synthesized, and the configuration it was synthesized from."""

    assembly: PlatformAssembly
    bundled: PlatformConfig
    """The configuration with the Lambda bundle: what a second pass synthesizes again."""


def synthesize_platform(options: Options, reporter: Reporter) -> Synthesized:
    """Build the console if it is missing and the Lambda bundle, then synthesize the app.

    ``lambda_dependencies`` off, the bundle holds this repository's sources alone: enough
    to synthesize and deploy, not to run the Lambdas.
    """
    started = time.monotonic()
    workdir = options.workdir
    if options.build_console and options.app_module == PLATFORM_APP:
        ensure_console_built(options.config, partial(reporter.note, messages.CONSOLE))
    dependencies = None
    if options.lambda_dependencies:
        dependencies = installed_dependencies(workdir / "lambda-dependencies", RUNTIME)
    bundle = build_lambda_bundle(workdir / "lambda-bundle", dependencies=dependencies)
    bundled = with_bundle(options.config, bundle)
    assembly = synthesize_app(options, bundled, ASSEMBLY_FOLDER)
    elapsed = time.monotonic() - started
    reporter.note(messages.SYNTHESIZED, messages.synthesized(len(assembly.stacks), elapsed))
    return Synthesized(assembly=assembly, bundled=bundled)


def synthesize_app(options: Options, config: PlatformConfig, folder: str) -> PlatformAssembly:
    """The app synthesized for ``config`` into ``folder`` of the workdir."""
    app = importlib.import_module(options.app_module)
    return checked(options, synthesize(config, options.workdir / folder, app))


def read(options: Options, directory: Path) -> PlatformAssembly:
    """An assembly synthesized before (``--assembly``)."""
    app = importlib.import_module(options.app_module)
    assembly = read_assembly(directory, app.STACK_ORDER, default_account=options.config.account)
    return checked(options, assembly)


def checked(options: Options, assembly: PlatformAssembly) -> PlatformAssembly:
    """The assembly, if every stack of it goes to the configured account."""
    account = options.config.account
    elsewhere = [s.stack_name for s in assembly.stacks if s.account != account]
    if elsewhere:
        raise InvalidInput(
            messages.assembly_for_another_account(elsewhere, account),
            code="assembly_account_mismatch",
        )
    return assembly
