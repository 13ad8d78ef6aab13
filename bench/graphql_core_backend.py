"""The Backend Lambda with graphql-core's own executor, beside the plain-fields one in
``bench/graphql.py``: the figures that decide whether ``api_lambdas/plain_fields.py`` is kept."""

from graphql.execution.executor_throwing_on_incremental import ExecutorThrowingOnIncremental

import api_lambdas.graphql_http as graphql_http

graphql_http.PlainFieldsExecutor = ExecutorThrowingOnIncremental  # type: ignore[misc]

from api_lambdas.backend.handler import handler  # noqa: E402

__all__ = ["handler"]
