"""The service image: its Dockerfile linted, and its environment built and run without docker.

No docker engine runs here, so the image itself is not built. What it holds is: the project's
wheel (``pip wheel --no-deps`` from the sources the Dockerfile copies) installed without its
dependencies over ``requirements/service.txt`` (hashes required, binary wheels only) in a clean
virtual environment outside the source tree. From there the service starts, answers /readyz,
synthesizes every built-in template version on its warm pool and migrates an empty database: a
file missing from the wheel (templates, migrations, GraphQL schema files) fails this test.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from stack_catalog.registry import Registry

REPOSITORY = Path(__file__).resolve().parents[1]
DOCKERFILE = REPOSITORY / "Dockerfile"
SERVICE_LOCK = REPOSITORY / "requirements" / "service.txt"
HADOLINT = Path(sys.executable).parent / "hadolint"
# Where the wheels of the lock are kept between runs (downloaded once, checked on every install).
WHEELHOUSE = Path(
    os.environ.get("DATAHUB_TEST_WHEELHOUSE", Path.home() / ".cache" / "datahub" / "service-wheels")
)
TEAM = "analytics"
READY_SECONDS = 240


def dockerfile_copies() -> list[Path]:
    """The sources the Dockerfile's wheel stage copies, relative to the repository."""
    sources = []
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            *paths, _ = line.split()[1:]
            sources += [Path(path.rstrip("/")) for path in paths]
    return sources


def test_hadolint_passes_the_dockerfile() -> None:
    linted = subprocess.run(
        [str(HADOLINT), "--no-color", str(DOCKERFILE)], capture_output=True, text=True
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr


def test_every_base_is_pinned_by_digest_and_the_service_runs_unprivileged() -> None:
    text = DOCKERFILE.read_text()
    bases = re.findall(r"^ARG \w+_IMAGE=(\S+)$", text, flags=re.MULTILINE)
    assert bases and all(re.search(r"@sha256:[0-9a-f]{64}$", base) for base in bases)
    users = re.findall(r"^USER (\S+)$", text, flags=re.MULTILINE)
    assert users and not users[-1].startswith(("0", "root"))
    assert "--require-hashes" in text and "--no-deps" in text


def test_the_image_fills_the_jsii_cache_the_tasks_mount() -> None:
    from datahub_platform.stacks.service import JSII_PACKAGE_CACHE_PATH

    text = DOCKERFILE.read_text()
    assert f"JSII_CACHE={JSII_PACKAGE_CACHE_PATH}" in text
    assert f'VOLUME ["{JSII_PACKAGE_CACHE_PATH}"]' in text
    assert "warm()" in text
    assert re.search(r"^HEALTHCHECK .*/healthz", text, flags=re.MULTILINE | re.DOTALL)


def test_the_task_commands_are_commands_of_datahubctl() -> None:
    from datahub_platform.stacks.service import SCHEDULER_COMMAND, WEB_COMMAND, WORKER_COMMAND

    from datahubctl.cli import main

    for program, command in (WEB_COMMAND, WORKER_COMMAND, SCHEDULER_COMMAND):
        assert program == "datahubctl" and command in main.commands
    assert 'CMD ["datahubctl", "serve"]' in DOCKERFILE.read_text()


@dataclass(frozen=True)
class ImageEnvironment:
    """A virtual environment holding what the image holds, and how to run its programs."""

    root: Path
    venv: Path
    environment: dict[str, str]

    def run(self, *arguments: str, timeout: float = 300) -> str:
        """Run one of the environment's programs from outside the source tree; its stdout."""
        done = subprocess.run(
            [str(self.venv / "bin" / arguments[0]), *arguments[1:]],
            capture_output=True,
            text=True,
            cwd=self.root,
            env=self.environment,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{arguments}: {done.stdout}\n{done.stderr}"
        return done.stdout


def pip(*arguments: str, python: Path | None = None) -> None:
    """pip, with its output kept for the failure message."""
    command = [str(python or sys.executable), "-m", "pip", "--disable-pip-version-check"]
    done = subprocess.run([*command, *arguments], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def wheelhouse() -> Path:
    """The lock's binary wheels, downloaded (hashes checked) the first time this lock is seen."""
    folder = WHEELHOUSE / hashlib.sha256(SERVICE_LOCK.read_bytes()).hexdigest()[:16]
    if not (folder / ".complete").exists():
        pip(
            "download", "--require-hashes", "--only-binary=:all:", "--no-deps",
            "--dest", str(folder), "-r", str(SERVICE_LOCK),
        )  # fmt: skip
        (folder / ".complete").touch()
    return folder


def build_context(folder: Path) -> Path:
    """The sources the Dockerfile's wheel stage copies, and only those."""
    for source in dockerfile_copies():
        if source.parts[0] == "requirements":
            continue
        target = folder / source
        if (REPOSITORY / source).is_dir():
            shutil.copytree(
                REPOSITORY / source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPOSITORY / source, target)
    return folder


@pytest.fixture(scope="module")
def image_environment(tmp_path_factory: pytest.TempPathFactory) -> ImageEnvironment:
    """The image's virtual environment, built as the Dockerfile builds it."""
    root = tmp_path_factory.mktemp("image")
    context = build_context(root / "context")
    pip("wheel", "--no-cache-dir", "--no-deps", "--wheel-dir", str(root / "wheels"), str(context))
    venv = root / "venv"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True)  # type: ignore[attr-defined]
    python = venv / "bin" / "python"
    pip(
        "install", "--require-hashes", "--only-binary=:all:", "--no-index",
        "--find-links", str(wheelhouse()), "-r", str(SERVICE_LOCK), python=python,
    )  # fmt: skip
    pip("install", "--no-deps", "--no-index", *map(str, (root / "wheels").glob("*.whl")),
        python=python)  # fmt: skip
    shutil.rmtree(context)  # nothing of the sources is left to import from
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATAHUB_", "PYTHON", "VIRTUAL_ENV", "JSII_RUNTIME"))
    }
    environment |= {
        "PATH": f"{venv / 'bin'}{os.pathsep}{environment.get('PATH', '')}",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "JSII_RUNTIME_PACKAGE_CACHE_ROOT": str(root / "jsii"),
        "DATAHUB_STATE_DIR": str(root / "state"),
        "DATAHUB_SERVICE_KEY": "image-environment-test-key",
        "DATAHUB_OPERATOR_GROUPS": json.dumps(["admins", TEAM]),
        "DATAHUB_LOG_JSON": "false",
    }
    return ImageEnvironment(root=root, venv=venv, environment=environment)


@pytest.fixture(scope="module")
def empty_database(database_server_url: str) -> Iterator[str]:
    """A database with no schema at all, dropped afterwards."""
    import asyncio

    from cdk_service.db.admin import scratch_database

    manager = scratch_database(database_server_url, prefix="datahub_image")
    loop = asyncio.new_event_loop()
    try:
        yield loop.run_until_complete(manager.__aenter__())
    finally:
        loop.run_until_complete(manager.__aexit__(None, None, None))
        loop.close()


def free_port() -> int:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return int(listener.getsockname()[1])


@pytest.fixture(scope="module")
def running_service(image_environment: ImageEnvironment, empty_database: str) -> Iterator[str]:
    """``datahubctl serve`` from the image's environment on a migrated database; its URL."""
    environment = {**image_environment.environment, "DATAHUB_DATABASE_URL": empty_database}
    image = ImageEnvironment(image_environment.root, image_environment.venv, environment)
    assert "up to date" in image.run("datahubctl", "db", "upgrade")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment |= {"DATAHUB_HOST": "127.0.0.1", "DATAHUB_PORT": str(port)}
    log = (image.root / "serve.log").open("w")
    process = subprocess.Popen(
        [str(image.venv / "bin" / "datahubctl"), "serve"],
        cwd=image.root,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + READY_SECONDS
        while not ready(url):
            assert process.poll() is None, (image.root / "serve.log").read_text()[-4000:]
            assert time.monotonic() < deadline, (image.root / "serve.log").read_text()[-4000:]
            time.sleep(1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=5) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


@pytest.mark.timeout(1800)
def test_the_image_environment_runs_the_service_from_its_own_files(
    image_environment: ImageEnvironment, running_service: str
) -> None:
    environment = {**image_environment.environment, "DATAHUB_SERVICE_URL": running_service}
    image = ImageEnvironment(image_environment.root, image_environment.venv, environment)
    where = json.loads(
        image.run(
            "python",
            "-c",
            "import json, api_lambdas, cdk_service, datahub_platform, datahubctl, stack_catalog;"
            "from api_lambdas.backend.schema import backend_schema;"
            "from api_lambdas.metadata.schema import metadata_schema;"
            "backend_schema(); metadata_schema();"
            "print(json.dumps([m.__file__ for m in (api_lambdas, cdk_service, datahub_platform,"
            " datahubctl, stack_catalog)]))",
        )
    )
    assert all(path.startswith(str(image.venv)) for path in where), where
    for template in Registry.discover():
        schema = template.json_schema()
        params = [
            f"{name}={schema['properties'][name]['examples'][0]}"
            for name in schema.get("required", [])
        ]
        image.run("datahubctl", "templates", "publish", template.name, template.version)
        output = image.root / f"{template.name}-{template.version}.json"
        image.run(
            "datahubctl", "synth", template.name, "--version", template.version, "--team", TEAM,
            *(f"--param={param}" for param in params), "--output", str(output),
        )  # fmt: skip
        assert json.loads(output.read_text())["Resources"], template.key
