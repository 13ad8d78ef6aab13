"""Bootstrap tests: moto's server on loopback, and the stand-in app synthesized once per run."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner, Result
from datahub_platform.config import PlatformConfig
from rich.console import Console

from bootstrap import preflight
from bootstrap.assembly import PlatformAssembly
from bootstrap.options import PLATFORM_APP, Options
from bootstrap.plan import Plan, make_plan
from bootstrap.progress import Reporter
from bootstrap.synthesis import synthesize_platform
from cdk_service.cloudformation.assets import file_assets, is_stack_template
from cdk_service.cloudformation.engine import DeployEngine
from cdk_service.cloudformation.polling import Polling
from datahubctl.cli import main
from service_contract.targets import AwsClients
from tests.aws import ACCOUNT, FAKE_CREDENTIALS

HOME_REGION = "eu-west-1"  # the edge stack goes to us-east-1: two regions, two toolkits
EDGE_REGION = "us-east-1"
STANDIN_APP = "tests.bootstrap.standin_app"
PREFIX = "dh-test"
# The stand-in's stacks (name, region) in deployment order: toolkits first.
TOOLKITS = [(f"{PREFIX}-toolkit", HOME_REGION), (f"{PREFIX}-toolkit", EDGE_REGION)]
PLATFORM = [
    (f"{PREFIX}-storage", HOME_REGION),
    (f"{PREFIX}-functions", HOME_REGION),
    (f"{PREFIX}-edge", EDGE_REGION),
]
CONFIG = {
    "prefix": PREFIX,
    "account": ACCOUNT,
    "region": HOME_REGION,
    "allowed_ip_ranges": ["203.0.113.0/24"],
    "alarm_email": "platform-alerts@example.com",
    "service_image": f"{ACCOUNT}.dkr.ecr.{HOME_REGION}.amazonaws.com/datahub-service:1.0.0",
}


@pytest.fixture(autouse=True)
def isolated_aws(fake_credentials: None, fresh_moto: None) -> None:
    """Fake credentials for every test here; moto emptied after each."""


@pytest.fixture(scope="session")
def config() -> PlatformConfig:
    """A platform configuration for moto's default account."""
    return PlatformConfig.from_mapping(CONFIG)


def make_options(
    config: PlatformConfig, workdir: Path, endpoint_url: str | None = None, **choices: Any
) -> Options:
    """A run of the stand-in app, polling fast and staying offline."""
    offline: dict[str, Any] = {
        "app_module": STANDIN_APP,
        "poll_seconds": 0.05,
        "lambda_dependencies": False,  # pip would reach the package index; tests stay offline
        "build_console": False,  # npm ci would reach the registry: the console as it is found
    }
    return Options(config=config, workdir=workdir, endpoint_url=endpoint_url, **offline | choices)


def make_engine() -> DeployEngine:
    """The deploy engine, retrying little and polling fast."""
    return DeployEngine(
        AwsClients(max_attempts=2, connect_timeout=2, read_timeout=30),
        polling=Polling(timeout_seconds=10, first_interval=0.05),
    )


def make_reporter() -> Reporter:
    """A reporter printing to a captured console, wide enough for one message a line."""
    return Reporter(Console(record=True, width=200))


def synthesized(config: PlatformConfig, workdir: Path, app: str = STANDIN_APP) -> PlatformAssembly:
    """The app synthesized as a run synthesizes it (with the bootstrap's Lambda bundle)."""
    options = make_options(config, workdir, app_module=app)
    return synthesize_platform(options, make_reporter()).assembly


@dataclass(frozen=True)
class Steps:
    """What the steps take besides the plan: the run's options, the engine, a reporter."""

    options: Options
    engine: DeployEngine
    reporter: Reporter

    def plan(self, assembly: Path | None = None) -> Plan:
        """Preflight, then the plan (over ``assembly`` if given)."""
        preflight.verify(self.options, self.engine.clients)
        return make_plan(
            self.options, engine=self.engine, reporter=self.reporter, assembly=assembly
        )

    def said(self) -> str:
        """What the operator read, on one line."""
        return " ".join(self.reporter.console.export_text().split())


@pytest.fixture
def steps(moto_url: str, config: PlatformConfig, tmp_path: Path) -> Steps:
    """The steps' inputs for the stand-in on moto."""
    return Steps(make_options(config, tmp_path / "work", moto_url), make_engine(), make_reporter())


@pytest.fixture
def standin_plan(steps: Steps, standin_assembly: PlatformAssembly) -> Plan:
    """After preflight, the plan over the stand-in's assembly as given (``--assembly``)."""
    return steps.plan(standin_assembly.directory)


def staged_from(assembly: PlatformAssembly) -> list[Path]:
    """The files and folders the assembly's file assets are packaged from (templates left out)."""
    return [
        assembly.directory / asset["source"]["path"]
        for stack in assembly.stacks
        for _, asset in file_assets(stack.asset_manifest)
        if not is_stack_template(asset)
    ]


@pytest.fixture(scope="session")
def standin_assembly(
    config: PlatformConfig, tmp_path_factory: pytest.TempPathFactory
) -> PlatformAssembly:
    """The stand-in app synthesized once for the session (with the bootstrap's Lambda bundle)."""
    return synthesized(config, tmp_path_factory.mktemp("standin"))


@pytest.fixture(scope="session")
def platform_assembly(
    config: PlatformConfig, tmp_path_factory: pytest.TempPathFactory
) -> PlatformAssembly:
    """The real platform app (``datahub_platform.app``) synthesized once for the session, with
    no service image configured: CodeBuild is to build it in the account."""
    building = config.model_copy(update={"service_image": None})
    return synthesized(building, tmp_path_factory.mktemp("platform"), PLATFORM_APP)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The configuration as the operator's YAML file."""
    path = tmp_path / "platform.json"
    path.write_text(PlatformConfig.model_validate(CONFIG).model_dump_json())
    return path


class Bootstrap:
    """``datahubctl bootstrap`` on moto with the stand-in app's assembly."""

    def __init__(
        self,
        moto_url: str,
        config_file: Path,
        assembly: Path,
        state_dir: Path,
        app: str = STANDIN_APP,
    ):
        self.moto_url = moto_url
        self.app = app
        self.config_file: Path | None = config_file
        self.assembly = assembly
        self.env: dict[str, str | None] = {
            "DATAHUB_STATE_DIR": str(state_dir),
            "COLUMNS": "200",  # rich wraps at the terminal width: keep messages on one line
            **FAKE_CREDENTIALS,
        }

    async def __call__(self, *args: str, input: str | None = None) -> Result:
        """Run ``datahubctl bootstrap [args]`` (off the event loop: it blocks)."""
        common = [
            "--account",
            ACCOUNT,
            "--region",
            HOME_REGION,
            "--endpoint-url",
            self.moto_url,
            "--assembly",
            str(self.assembly),
            "--app",
            self.app,
            *(["--config", str(self.config_file)] if self.config_file else []),
        ]
        command = (
            ["bootstrap", *args[:1], *common, *args[1:]]
            if args[:1] == ("destroy",)
            else ["bootstrap", *common, "--skip-catalog-seed", *args]
        )
        runner = CliRunner()
        return await asyncio.to_thread(runner.invoke, main, command, env=self.env, input=input)


@pytest.fixture
def bootstrap(
    moto_url: str, config_file: Path, standin_assembly: PlatformAssembly, tmp_path: Path
) -> Bootstrap:
    """The command, ready to run against moto."""
    return Bootstrap(moto_url, config_file, standin_assembly.directory, tmp_path / "state")


class Regional:
    """boto3 clients on moto in a given region."""

    def __init__(self, endpoint_url: str) -> None:
        self.endpoint_url = endpoint_url

    def __call__(self, service: str, region: str = HOME_REGION) -> Any:
        return boto3.client(service, region_name=region, endpoint_url=self.endpoint_url)


@pytest.fixture
def regional(moto_url: str) -> Iterator[Regional]:
    """Clients to check what moto created, in either region."""
    yield Regional(moto_url)
