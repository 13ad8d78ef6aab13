"""Parsing and validating queries once per process: most requests repeat a handful of queries.

Validation (the specification's rules, the depth and cost limits, introspection off) depends on
the query text, the limits and, for the cost, the integer variables (page sizes) only: other
variable values are checked when the query runs. So a result is kept per query text, and within
it per limits and integer variables, in a bounded LRU shared by the handler's threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ariadne.validation import cost_validator
from ariadne.validation.introspection_disabled import IntrospectionDisabledRule
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, specified_rules, validate
from graphql.error import GraphQLSyntaxError

from api_lambdas.query_depth import depth_limit

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Limits:
    """The guards of one GraphQL endpoint."""

    max_depth: int
    max_cost: int
    max_body_bytes: int
    introspection: bool


@dataclass
class _Checked:
    document: DocumentNode
    errors: dict[Key, list[GraphQLError]] = field(default_factory=dict)


class CheckedQueries:
    """Parsed documents and their validation errors, the most recently used ``size`` kept."""

    def __init__(self, schema: GraphQLSchema, cost_map: dict[str, dict[str, Any]], size: int = 256):
        self.schema = schema
        self._cost_map = cost_map
        self._size = size
        self._entries: OrderedDict[str, _Checked] = OrderedDict()
        self._lock = threading.Lock()

    def check(
        self, query: str, variables: dict[str, Any] | None, limits: Limits
    ) -> tuple[DocumentNode | None, list[GraphQLError]]:
        """The document and what is wrong with it (nothing: it may run)."""
        with self._lock:
            entry = self._entries.get(query)
            if entry is not None:
                self._entries.move_to_end(query)
        if entry is None:
            try:
                entry = _Checked(parse(query))
            except GraphQLSyntaxError as error:
                return None, [error]
        sizes = tuple(sorted((k, v) for k, v in (variables or {}).items() if isinstance(v, int)))
        key = (limits, sizes)
        errors = entry.errors.get(key)
        if errors is None:
            errors = entry.errors[key] = self._validate(entry.document, limits, variables)
        with self._lock:
            self._entries[query] = entry
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return entry.document, errors

    def _validate(
        self, document: DocumentNode, limits: Limits, variables: dict[str, Any] | None
    ) -> list[GraphQLError]:
        """The specification's rules and the limits; the cost only of a valid document (the
        cost rule reads every argument, and would report a bad one again, as a bad variable)."""
        rules = [*specified_rules, depth_limit(limits.max_depth)]
        if not limits.introspection:
            rules.append(IntrospectionDisabledRule)
        cost = cost_validator(limits.max_cost, variables=variables, cost_map=self._cost_map)
        return validate(self.schema, document, rules) or validate(self.schema, document, [cost])
