"""Shared fixtures: one migrated PostgreSQL database per run, a clean slate per test, factories.

The database is created on the PostgreSQL server that ``DATAHUB_TEST_DATABASE_URL`` names or,
when it is unset, on an embedded one started for the run (the same ``pgserver`` that
``datahubctl up`` runs, so the tests need no server installed or configured); it is brought to
head with the real migrations, opened for the whole session and dropped at the end. ``db``
empties every table after each test.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field
from tortoise import Tortoise

from cdk_service.db.admin import scratch_database, with_database
from cdk_service.db.config import MODELS_APP, close_database, open_database
from cdk_service.db.embedded import start_embedded, stop_embedded
from cdk_service.db.models import TargetAccount, Team, Template, TemplateVersion, VersionStatus
from cdk_service.db.upgrade import upgrade
from service_contract.identity import Identity
from stack_catalog.contract import Template as CodeTemplate
from stack_catalog.contract import TemplateParams
from stack_catalog.registry import Registry

# moto, credentials, Cognito pool, a stand-in npm, OpenSearch, worker processes (none autouse)
pytest_plugins = [
    "tests.aws",
    "tests.cognito",
    "tests.standin_npm",
    "tests.opensearch",
    "tests.cdk_service.jobs.processes",
]

ADMIN = Identity(user="ada", groups=frozenset({"admins"}))
ANALYST = Identity(user="alan", groups=frozenset({"analytics"}))


class StorageClass(StrEnum):
    """An enum parameter type (rendered as a ``$ref`` to ``$defs`` in the JSON Schema)."""

    STANDARD = "standard"
    INFREQUENT = "infrequent"
    ARCHIVE = "archive"


class BucketParams(TemplateParams):
    """A pattern, an enum and a range: the three kinds of rule constraints narrow."""

    bucket_name: str = Field(pattern=r"^[a-z][a-z0-9-]{2,39}$", description="Bucket name")
    storage_class: StorageClass = Field(default=StorageClass.STANDARD)
    retention_days: int = Field(default=30, ge=1, le=365)


class QueueParams(TemplateParams):
    """A second template's parameters."""

    queue_name: str = Field(pattern=r"^[a-z][a-z0-9-]{2,39}$")
    visibility_timeout: int = Field(default=30, ge=0, le=43200)
    fifo: bool = False


def code_templates() -> list[CodeTemplate]:
    """bucket 1.0.0 and 1.1.0, and queue 0.1.0; their stacks are never synthesized here."""
    bucket = {"title": "Bucket", "params": BucketParams, "stack": "tests.stacks:Bucket"}
    return [
        CodeTemplate(name="bucket", version="1.0.0", description="An S3 bucket", **bucket),
        CodeTemplate(
            name="bucket",
            version="1.1.0",
            description="An S3 bucket, with outputs",
            outputs={"BucketArn": "ARN of the bucket"},
            **bucket,
        ),
        CodeTemplate(
            name="queue",
            version="0.1.0",
            title="Queue",
            description="An SQS queue",
            params=QueueParams,
            stack="tests.stacks:Queue",
        ),
    ]


class StubDigestRegistry(Registry):
    """A registry whose code digests are set by the test, so code can 'change' in place."""

    def __init__(self, templates: Iterable[CodeTemplate], digests: dict[str, str] | None = None):
        super().__init__(templates)
        self.digests = dict(digests or {})

    def digest(self, name: str, version: str) -> str:
        """The digest set for ``name@version``, else one derived from the key."""
        key = f"{name}@{version}"
        return self.digests.get(key) or hashlib.sha256(key.encode()).hexdigest()


@pytest.fixture(scope="session")
def database_server_url() -> Iterator[str]:
    """A PostgreSQL server's URL (its ``postgres`` database) to create scratch databases on."""
    configured = os.environ.get("DATAHUB_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    # Outside pytest's temporary folders: run as root, pgserver serves from a user of its own,
    # and pytest resets /tmp/pytest-of-root to 0700.
    parent = Path(tempfile.mkdtemp(prefix="datahub-test-postgres-"))
    try:
        yield with_database(start_embedded(parent / "state"), "postgres")
    finally:
        stop_embedded(parent / "state")
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="session")
async def database_url(database_server_url: str) -> AsyncIterator[str]:
    """A fresh database at head, opened for the session; dropped when the run ends."""
    async with scratch_database(database_server_url, prefix="datahub_test") as url:
        await upgrade(url)
        await open_database(url)
        try:
            yield url
        finally:
            await close_database()


def _tables_referrers_first() -> list[str]:
    """Model tables ordered so that each comes before the tables its foreign keys point at."""
    models = [m for m in Tortoise.apps[MODELS_APP].values() if m._meta.db_table != "aerich"]
    points_at = {
        model: {
            model._meta.fields_map[name].related_model  # type: ignore[attr-defined]
            for name in model._meta.fk_fields | model._meta.o2o_fields
        }
        - {model}
        for model in models
    }
    ordered: list[str] = []
    while points_at:
        unreferenced = [m for m in points_at if not any(m in t for t in points_at.values())]
        if not unreferenced:
            raise RuntimeError(f"foreign keys form a cycle among {sorted(map(str, points_at))}")
        ordered += [model._meta.db_table for model in unreferenced]
        points_at = {m: t for m, t in points_at.items() if m not in unreferenced}
    return ordered


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[str]:
    """The session database, emptied after the test (the migration record is kept)."""
    yield database_url
    # DELETE, not TRUNCATE: on near-empty tables it takes ~1 ms where TRUNCATE takes ~50 ms.
    statements = [f'DELETE FROM "{table}"' for table in _tables_referrers_first()]
    await Tortoise.get_connection("default").execute_script(";\n".join(statements))


@pytest.fixture
def test_registry() -> StubDigestRegistry:
    """bucket@1.0.0, bucket@1.1.0 and queue@0.1.0 (see ``code_templates``)."""
    return StubDigestRegistry(code_templates())


class Factories:
    """Builds real rows directly, bypassing the services, for tests that need them as given."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    async def team(self, slug: str = "analytics", name: str | None = None) -> Team:
        """A team."""
        return await Team.create(slug=slug, name=name or slug.title())

    async def target_account(
        self, account: str = "123456789012", region: str = "eu-west-1"
    ) -> TargetAccount:
        """A target account with a deploy role in it."""
        role = f"arn:aws:iam::{account}:role/datahub-deploy"
        return await TargetAccount.create(
            account=account, region=region, deploy_role_arn=role, name=f"{account} {region}"
        )

    async def template_version(
        self,
        name: str = "bucket",
        version: str = "1.0.0",
        *,
        status: VersionStatus = VersionStatus.DRAFT,
        constraints: dict[str, Any] | None = None,
    ) -> TemplateVersion:
        """A version row from the registry's code (status and constraints as given)."""
        code = self.registry.get(name, version)
        assert code is not None, f"{name}@{version} is not in the test registry"
        template, _ = await Template.get_or_create(
            name=name, defaults={"title": code.title, "description": code.description}
        )
        return await TemplateVersion.create(
            template=template,
            version=version,
            title=code.title,
            description=code.description,
            status=status,
            params_schema=code.json_schema(),
            outputs=dict(code.outputs),
            constraints=constraints or {},
            code_digest=self.registry.digest(name, version),
        )


@pytest.fixture
def factories(db: str, test_registry: StubDigestRegistry) -> Factories:
    """Row builders over the test registry, on a clean database."""
    return Factories(test_registry)


@pytest.fixture
def admin() -> Identity:
    """A platform admin."""
    return ADMIN


@pytest.fixture
def analyst() -> Identity:
    """A member of the ``analytics`` team."""
    return ANALYST
