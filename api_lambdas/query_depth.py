"""A validation rule that refuses queries nested deeper than a limit, fragments included.

Introspection (``__schema``, ``__type``) is not counted: the introspection setting governs it,
and the query every GraphQL client sends for the schema is 13 levels deep.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation import ValidationContext, ValidationRule


def _depth(
    selections: SelectionSetNode | None, context: ValidationContext, seen: frozenset[str]
) -> int:
    if selections is None:
        return 0
    deepest = 0
    for selection in selections.selections:
        if isinstance(selection, FieldNode) and selection.name.value.startswith("__"):
            continue  # introspection has a setting of its own, and clients send it deep
        if isinstance(selection, FieldNode):
            deepest = max(deepest, 1 + _depth(selection.selection_set, context, seen))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, context, seen))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = context.get_fragment(selection.name.value)
            if fragment is not None:
                inner = seen | {selection.name.value}
                deepest = max(deepest, _depth(fragment.selection_set, context, inner))
    return deepest


def depth_limit(max_depth: int) -> type[ValidationRule]:
    """A rule reporting ``query_too_deep`` for operations deeper than ``max_depth`` fields."""

    class DepthLimit(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth = _depth(node.selection_set, self.context, frozenset())
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"the query is {depth} fields deep; at most {max_depth} are allowed",
                        node,
                        extensions={"code": "query_too_deep"},
                    )
                )

    return DepthLimit
