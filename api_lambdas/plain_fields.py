"""A GraphQL executor that reads plain leaf fields straight from their parent's dict.

Most of a list's fields are leaves with no arguments and no resolver of their own (``id``,
``name``, ``status``): graphql-core still builds a path, a resolve info and a completion for
each, about as much work as a resolver that calls the service. This executor copies such a
value from the parent (the key the default or an ariadne alias resolver would read) and coerces
it with the field's scalar or enum, as the full path does. Anything else, and any value the
shortcut cannot vouch for (missing where the schema says non-null, callable, refused by its
scalar), goes the full way, so errors and their paths are graphql-core's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLObjectType,
    Undefined,
    default_field_resolver,
    get_nullable_type,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.execution.executor_throwing_on_incremental import ExecutorThrowingOnIncremental
from graphql.pyutils import Path

NOT_PLAIN = object()  # the field goes through graphql-core's full execution


@dataclass(frozen=True)
class PlainLeaf:
    """How to read one plain leaf field: its parent's key, its type, whether null is refused."""

    key: str
    leaf: GraphQLLeafType
    non_null: bool

    def value_in(self, parent: Mapping[str, Any]) -> Any:
        """The completed value, or ``NOT_PLAIN`` when the full path must decide."""
        value = parent.get(self.key)
        if value is None:
            return NOT_PLAIN if self.non_null else None
        if callable(value):
            return NOT_PLAIN
        try:
            coerced = self.leaf.coerce_output_value(value)
        except Exception:  # the full path raises it again, located at the field
            return NOT_PLAIN
        return NOT_PLAIN if coerced is None or coerced is Undefined else coerced


_LEAVES: dict[int, tuple[GraphQLField, PlainLeaf | None]] = {}


def plain_leaf(field_name: str, field: GraphQLField) -> PlainLeaf | None:
    """The field as a plain leaf, or None (remembered per field of the process's schemas)."""
    known = _LEAVES.get(id(field))
    if known is not None and known[0] is field:
        return known[1]
    key = _key_of(field_name, field)
    nullable = get_nullable_type(field.type)
    leaf = None
    if key is not None and not field.args and is_leaf_type(nullable):
        leaf = PlainLeaf(key, nullable, is_non_null_type(field.type))  # type: ignore[arg-type]
    _LEAVES[id(field)] = (field, leaf)
    return leaf


def _key_of(field_name: str, field: GraphQLField) -> str | None:
    """The key a default resolver reads: the field's name, or the name an ariadne alias
    resolver (``resolve_to``, used to turn camelCase into snake_case) closes over."""
    resolve = field.resolve
    if resolve is None or resolve is default_field_resolver:
        return field_name
    if not getattr(resolve, "_ariadne_alias_resolver", False) or resolve.__closure__ is None:
        return None
    cells = dict(zip(resolve.__code__.co_freevars, resolve.__closure__, strict=True))
    name = cells["attr_name"].cell_contents if "attr_name" in cells else None
    return name if isinstance(name, str) and "." not in name else None


class PlainFieldsExecutor(ExecutorThrowingOnIncremental):
    """graphql-core's executor (no ``@defer``/``@stream``), plain leaves read directly."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: None,
    ) -> Any:
        """The fields of one object: plain leaves here, the others by graphql-core."""
        if (
            not isinstance(source_value, Mapping)
            or self.middleware_manager is not None
            or self.field_resolver is not default_field_resolver
        ):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        plain: dict[str, Any] = {}
        rest: GroupedFieldSet = {}
        for response_name, details in grouped_field_set.items():
            node = details[0].node
            field = parent_type.fields.get(node.name.value)
            leaf = None if field is None or node.arguments else plain_leaf(node.name.value, field)
            value = NOT_PLAIN if leaf is None else leaf.value_in(source_value)
            if value is NOT_PLAIN:
                rest[response_name] = details
            else:
                plain[response_name] = value
        if not rest:
            return plain
        others = super().execute_fields(parent_type, source_value, path, rest, position_context)
        if not self.is_awaitable(others):
            return _in_order(grouped_field_set, plain, cast("dict[str, Any]", others))

        async def merged() -> dict[str, Any]:
            return _in_order(grouped_field_set, plain, await others)

        return merged()


def _in_order(
    grouped_field_set: GroupedFieldSet, plain: dict[str, Any], others: dict[str, Any]
) -> dict[str, Any]:
    """Both parts' answers in the order the query asked for them (fields graphql-core left
    out, as it does an unknown one, stay out)."""
    return {
        name: plain[name] if name in plain else others[name]
        for name in grouped_field_set
        if name in plain or name in others
    }
