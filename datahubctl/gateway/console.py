"""The web console in local mode: the built app (``frontend/dist``) and its ``/config.json``.

In AWS, CloudFront serves the app from its bucket and the frontend stack writes ``config.json``
at deploy time; locally the gateway does both, on the same origin as the APIs. Paths with no
file behind them get ``index.html`` (the app routes in the browser), except those that look like
files and the API paths, which stay API Gateway's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CONFIG_PATH = "/config.json"
INDEX = "index.html"
# Vite names what it builds into assets/ by content hash: a name never changes its bytes.
HASHED_ASSETS = "assets/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


@dataclass(frozen=True)
class CognitoSettings:
    """The user pool the console signs in with; ``endpoint`` when Cognito is not AWS's own."""

    region: str
    user_pool_id: str
    client_id: str
    endpoint: str | None = None


@dataclass(frozen=True)
class ConsoleSite:
    """A built console and the user pool its ``/config.json`` names."""

    directory: Path
    cognito: CognitoSettings

    def config(self, graphql_url: str) -> dict[str, Any]:
        """What the console reads at start: where the Backend API and the user pool are."""
        cognito = self.cognito
        return {
            "graphqlUrl": graphql_url,
            "cognito": {
                "region": cognito.region,
                "userPoolId": cognito.user_pool_id,
                "clientId": cognito.client_id,
                "endpoint": cognito.endpoint,
            },
        }


class ConsoleFiles:
    """Serves a console site; ``reserved`` path prefixes are left to ``otherwise``."""

    def __init__(
        self, site: ConsoleSite, graphql_path: str, reserved: tuple[str, ...], otherwise: Handler
    ) -> None:
        self.site = site
        self.root = site.directory.resolve()
        self.graphql_path = graphql_path
        self.reserved = reserved
        self.otherwise = otherwise

    async def config(self, request: web.Request) -> web.Response:
        """``/config.json``: the Backend API on this origin and the user pool."""
        graphql_url = str(request.url.origin().with_path(self.graphql_path))
        response = web.json_response(self.site.config(graphql_url))
        response.headers["Cache-Control"] = REVALIDATE
        return response

    async def file(self, request: web.Request) -> web.StreamResponse:
        """A file of the build, or ``index.html`` for the app's own routes."""
        path = request.path
        if request.method not in ("GET", "HEAD") or path.startswith(self.reserved):
            return await self.otherwise(request)
        found = self._existing(path.lstrip("/"))
        if found is None:
            if _looks_like_a_file(path):
                raise web.HTTPNotFound(text=f"{path} is not part of the console")
            found = self.root / INDEX
        response = web.FileResponse(found)
        relative = found.relative_to(self.root).as_posix()
        immutable = relative.startswith(HASHED_ASSETS)
        response.headers["Cache-Control"] = IMMUTABLE if immutable else REVALIDATE
        return response

    def _existing(self, relative: str) -> Path | None:
        """The file at ``relative`` inside the build, never outside it."""
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        return candidate


def _looks_like_a_file(path: str) -> bool:
    """``/assets/app.js`` names a file; ``/stacks/42`` is a route of the app."""
    return "." in path.rsplit("/", 1)[-1]


def is_console_build(directory: Path) -> bool:
    """Whether ``directory`` holds a built console."""
    return (directory / INDEX).is_file()
