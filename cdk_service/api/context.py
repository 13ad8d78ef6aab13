"""What handlers need from the running service, wired once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from cdk_service.search.port import SearchBackend
from cdk_service.search.postgres import PostgresSearch
from cdk_service.settings import Settings
from cdk_service.stacks.dispatch import Dispatcher, UnwiredDispatcher
from cdk_service.synthesis.models import Synthesizer
from stack_catalog.registry import Registry


@dataclass(frozen=True)
class Services:
    """The dependencies of the API handlers."""

    settings: Settings
    registry: Registry
    synthesizer: Synthesizer
    dispatcher: Dispatcher = field(default_factory=UnwiredDispatcher)
    search: SearchBackend = field(default_factory=PostgresSearch)


SERVICES = web.AppKey("services", Services)


def services_of(request: web.Request) -> Services:
    """The services of the application serving ``request``."""
    return request.app[SERVICES]
