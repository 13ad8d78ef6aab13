"""The GraphQL explorer page served in local mode: GraphiQL, pointed at the gateway's /graphql."""

from __future__ import annotations

from aiohttp import web

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>DATAHUB GraphQL explorer (local)</title>
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="https://unpkg.com/graphiql@3/graphiql.min.css">
  <script crossorigin src="https://unpkg.com/react@18/umd/react.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/react-dom@18/umd/react-dom.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/graphiql@3/graphiql.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading GraphiQL...</div>
  <script>
    // Paste the id token `datahubctl login` stored into the Headers tab.
    const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", location.href).href });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultHeaders: '{"Authorization": "Bearer <id token from datahubctl login>"}',
        shouldPersistHeaders: true,
      })
    );
  </script>
</body>
</html>
"""


async def explorer(request: web.Request) -> web.Response:
    """GraphiQL, for the Backend API of this gateway."""
    return web.Response(text=PAGE, content_type="text/html")


async def to_explorer(request: web.Request) -> web.Response:
    """The gateway's root leads to the explorer."""
    raise web.HTTPFound("/explorer")
