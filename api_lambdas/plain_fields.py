"""A GraphQL executor that reads plain fields straight from their parent's dict.

Most of a page's fields have no arguments and no resolver of their own: leaves (``id``,
``status``), objects (an edge's ``node``) and lists of objects (``edges``). graphql-core still
builds a path, a resolve info and a chain of completions for each, more work than the
resolver that called the service. This executor takes such a value from the parent (the key
the default or an ariadne alias resolver would read): a leaf is coerced by its scalar or enum,
an object's fields are executed in turn, a list's items likewise. Anything else, and any value
the shortcut cannot vouch for (missing where the schema says non-null, a null item, callable,
not a dict or list, refused by its scalar), goes graphql-core's full way, and errors raised
below a plain field are handled as graphql-core handles them (same paths, same null bubbling).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
    default_field_resolver,
    get_nullable_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor_throwing_on_incremental import ExecutorThrowingOnIncremental
from graphql.pyutils import Path, gather_with_cancel

NOT_PLAIN = object()  # the field goes through graphql-core's full execution


@dataclass(frozen=True)
class PlainField:
    """How to read one plain field: its parent's key, its type and the shape of its value."""

    key: str
    type: GraphQLOutputType
    leaf: GraphQLLeafType | None = None  # a scalar or enum
    object: GraphQLObjectType | None = None  # an object, or each item of a list of objects
    listed: bool = False


_PLAIN: dict[int, tuple[GraphQLField, PlainField | None]] = {}


def plain_field(field_name: str, field: GraphQLField) -> PlainField | None:
    """The field as a plain one, or None (remembered per field of the process's schemas)."""
    known = _PLAIN.get(id(field))
    if known is not None and known[0] is field:
        return known[1]
    plain = _plain(field_name, field)
    _PLAIN[id(field)] = (field, plain)
    return plain


def _plain(field_name: str, field: GraphQLField) -> PlainField | None:
    key = _key_of(field_name, field)
    if key is None or field.args:
        return None
    nullable = get_nullable_type(field.type)
    if is_leaf_type(nullable):
        return PlainField(key, field.type, leaf=nullable)  # type: ignore[arg-type]
    listed = is_list_type(nullable)
    named = get_nullable_type(nullable.of_type) if listed else nullable  # type: ignore[union-attr]
    if is_object_type(named) and named.is_type_of is None:  # type: ignore[union-attr]
        return PlainField(key, field.type, object=named, listed=listed)  # type: ignore[arg-type]
    return None


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
    """graphql-core's executor (no ``@defer``/``@stream``), plain fields read directly."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: None,
    ) -> Any:
        """The fields of one object: plain ones here, the others by graphql-core."""
        if (
            not isinstance(source_value, Mapping)
            or self.middleware_manager is not None
            or self.field_resolver is not default_field_resolver
        ):
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        done: dict[str, Any] = {}
        rest: GroupedFieldSet = {}
        try:
            for name, details in grouped_field_set.items():
                value = self._plain_value(parent_type, source_value, path, name, details)
                if value is NOT_PLAIN:
                    rest[name] = details
                else:
                    done[name] = value
            others = (
                super().execute_fields(parent_type, source_value, path, rest, position_context)
                if rest
                else {}
            )
        except Exception:
            self._settle([value for value in done.values() if self.is_awaitable(value)])
            raise
        return self._joined(grouped_field_set, done, others)

    def _plain_value(
        self,
        parent_type: GraphQLObjectType,
        source: Mapping[str, Any],
        path: Path | None,
        name: str,
        details: FieldDetailsList,
    ) -> Any:
        """A plain field's completed value (perhaps awaitable), or ``NOT_PLAIN``."""
        node = details[0].node
        field = parent_type.fields.get(node.name.value)
        plain = None if field is None or node.arguments else plain_field(node.name.value, field)
        if plain is None:
            return NOT_PLAIN
        value = source.get(plain.key)
        if value is None:
            return NOT_PLAIN if is_non_null_type(plain.type) else None
        if plain.leaf is not None:
            return _coerced(plain.leaf, value)
        if not (isinstance(value, list) if plain.listed else isinstance(value, Mapping)):
            return NOT_PLAIN
        if plain.listed and any(not isinstance(item, Mapping) for item in value):
            return NOT_PLAIN  # a null item, or one the full path must judge
        field_path = Path(path, name, parent_type.name)
        assert plain.object is not None
        kind = plain.object
        subfields = self.collect_subfields(kind, details).grouped_field_set
        if not plain.listed:
            fields = partial(self.execute_fields, kind, value, field_path, subfields, None)
            return self._guarded(plain.type, details, field_path, fields)
        items = partial(self._items, kind, plain.type, value, field_path, details, subfields)
        return self._guarded(plain.type, details, field_path, items)

    def _items(
        self,
        kind: GraphQLObjectType,
        list_type: GraphQLOutputType,
        items: list[Mapping[str, Any]],
        path: Path,
        details: FieldDetailsList,
        subfields: GroupedFieldSet,
    ) -> Any:
        """A list of objects, each item's fields executed as graphql-core completes items."""
        item_type = get_nullable_type(list_type).of_type  # type: ignore[union-attr]
        completed: list[Any] = []
        try:
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                fields = partial(self.execute_fields, kind, item, item_path, subfields, None)
                completed.append(self._guarded(item_type, details, item_path, fields))
        except Exception:
            self._settle([value for value in completed if self.is_awaitable(value)])
            raise
        waiting = [index for index, value in enumerate(completed) if self.is_awaitable(value)]
        if not waiting:
            return completed

        async def awaited() -> list[Any]:
            answers = await gather_with_cancel(*(completed[index] for index in waiting))
            for index, answer in zip(waiting, answers, strict=True):
                completed[index] = answer
            return completed

        return awaited()

    def _guarded(
        self,
        return_type: GraphQLOutputType,
        details: FieldDetailsList,
        path: Path,
        complete: Callable[[], Any],
    ) -> Any:
        """``complete()``, its error handled as graphql-core handles a field's or an item's:
        recorded with a null in its place, or raised on where the type is non-null."""
        try:
            completed = complete()
        except Exception as error:
            self.handle_field_error(error, return_type, details, path)
            return None
        if not self.is_awaitable(completed):
            return completed

        async def awaited() -> Any:
            try:
                return await completed
            except Exception as error:
                self.handle_field_error(error, return_type, details, path)
                return None

        return awaited()

    def _joined(self, grouped_field_set: GroupedFieldSet, done: dict[str, Any], others: Any) -> Any:
        """Both parts' answers in the order the query asked for them, once all are in."""
        waiting = [name for name, value in done.items() if self.is_awaitable(value)]
        others_wait = self.is_awaitable(others)
        if not waiting and not others_wait:
            # Every field plain: ``done`` was filled in the query's order already.
            return done if not others else _in_order(grouped_field_set, done, others)

        async def awaited() -> dict[str, Any]:
            answers = await gather_with_cancel(
                *(done[name] for name in waiting), *([others] if others_wait else [])
            )
            done.update(zip(waiting, answers[: len(waiting)], strict=True))
            return _in_order(grouped_field_set, done, answers[-1] if others_wait else others)

        return awaited()

    def _settle(self, awaitables: list[Any]) -> None:
        if awaitables:
            self.settle_in_background(awaitables)


def _coerced(leaf: GraphQLLeafType, value: Any) -> Any:
    """The leaf's output value, or ``NOT_PLAIN`` when the full path must decide."""
    if callable(value):
        return NOT_PLAIN
    try:
        coerced = leaf.coerce_output_value(value)
    except Exception:  # the full path raises it again, located at the field
        return NOT_PLAIN
    return NOT_PLAIN if coerced is None or coerced is Undefined else coerced


def _in_order(
    grouped_field_set: GroupedFieldSet, done: dict[str, Any], others: dict[str, Any]
) -> dict[str, Any]:
    """Both parts' answers in the order the query asked for them (fields graphql-core left
    out, as it does an unknown one, stay out)."""
    return {
        name: done[name] if name in done else others[name]
        for name in grouped_field_set
        if name in done or name in others
    }
