"""The base platform's CDK app: every stack, wired in dependency order from one configuration."""

from __future__ import annotations

import os
from pathlib import Path

from datahub_platform.config import PlatformConfig

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import aws_cdk as cdk

from datahub_platform.stacks.backend_api import BackendApiStack
from datahub_platform.stacks.base import PlatformStack, stack_name
from datahub_platform.stacks.console import ConsoleStack
from datahub_platform.stacks.data import DataStack
from datahub_platform.stacks.frontend import EdgeFirewallStack, FrontendStack
from datahub_platform.stacks.metadata_api import MetadataApiStack
from datahub_platform.stacks.monitoring import MonitoringStack
from datahub_platform.stacks.network import NetworkStack
from datahub_platform.stacks.queue import QueueStack
from datahub_platform.stacks.search import SearchStack
from datahub_platform.stacks.service import ServiceStack
from datahub_platform.stacks.setup_resources import SetupStack
from datahub_platform.stacks.workers import WorkersStack

STACK_ORDER: tuple[str, ...] = (
    "Network",
    "Data",
    "Search",
    "Queue",
    "Service",
    "BackendApi",
    "MetadataApi",
    "Workers",
    "Setup",
    "EdgeFirewall",
    "Frontend",
    "Console",
    "Monitoring",
)
"""Stack ids (cloud assembly artifact ids) in deployment order: each needs only earlier ones."""

__all__ = ["STACK_ORDER", "build_app", "stack_name"]


def build_app(config: PlatformConfig, outdir: Path | str | None = None) -> cdk.App:
    """The CDK app of the whole base platform; ``outdir`` is where ``app.synth()`` writes."""
    app = cdk.App(
        outdir=str(outdir) if outdir is not None else None,
        analytics_reporting=False,
    )
    add_platform(app, config)
    return app


def add_platform(app: cdk.App, config: PlatformConfig) -> dict[str, PlatformStack]:
    """Add every stack of the platform to ``app``; the stacks by id."""
    network = NetworkStack(app, "Network", config=config)
    data = DataStack(app, "Data", config=config, network=network)
    search = SearchStack(app, "Search", config=config, network=network)
    queues = QueueStack(app, "Queue", config=config)
    service = ServiceStack(
        app, "Service", config=config, network=network, data=data, search=search, queues=queues
    )
    backend = BackendApiStack(app, "BackendApi", config=config, network=network, service=service)
    metadata = MetadataApiStack(app, "MetadataApi", config=config, network=network, service=service)
    metadata.add_stack_dependency(backend, "API Gateway's logging role is the Backend API stack's")
    workers = WorkersStack(
        app, "Workers", config=config, network=network, queues=queues, service=service
    )
    setup = SetupStack(
        app,
        "Setup",
        config=config,
        network=network,
        data=data,
        search=search,
        service=service,
        backend=backend,
    )
    edge_firewall = EdgeFirewallStack(app, "EdgeFirewall", config=config)
    frontend = FrontendStack(app, "Frontend", config=config, edge_firewall=edge_firewall)
    console = ConsoleStack(
        app, "Console", config=config, network=network, backend=backend, frontend=frontend
    )
    monitoring = MonitoringStack(
        app,
        "Monitoring",
        config=config,
        queues=queues,
        data=data,
        search=search,
        service=service,
        backend=backend,
        metadata=metadata,
    )
    stacks: list[PlatformStack] = [
        network,
        data,
        search,
        queues,
        service,
        backend,
        metadata,
        workers,
        setup,
        edge_firewall,
        frontend,
        console,
        monitoring,
    ]
    return {stack.node.id: stack for stack in stacks}
