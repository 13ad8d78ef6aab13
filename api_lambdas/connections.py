"""Relay-style cursor connections: edges with cursors, and where the page ends."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
)

from api_lambdas.arguments import cursor
from service_contract.errors import InvalidInput

Cursor = str | None | Callable[[GraphQLResolveInfo], str]
MAX_PAGE = 100
OFFSET_PREFIX = "offset:"


def page_size(first: int | None, *, default: int = 20, most: int = MAX_PAGE) -> int:
    """``first`` checked: 1 to ``most`` items per page."""
    size = default if first is None else first
    if not 1 <= size <= most:
        raise InvalidInput(
            f"first must be between 1 and {most}", code="invalid_page_size", field="first"
        )
    return size


def asks_for(info: GraphQLResolveInfo, *path: str) -> bool:
    """Whether the query selects the field at ``path`` below the field being resolved
    (``"totalCount"``, ``"edges", "node", "highlight"``; through fragments too), so a resolver
    fetches what costs extra only for queries that want it."""
    level: list[SelectionSetNode | None] = [node.selection_set for node in info.field_nodes]
    for name in path:
        level = [field.selection_set for field in _fields_named(info, level, name)]
        if not level:
            return False
    return True


def _fields_named(
    info: GraphQLResolveInfo, selection_sets: list[SelectionSetNode | None], name: str
) -> list[FieldNode]:
    """The fields called ``name`` in these selection sets and the fragments they spread."""
    found: list[FieldNode] = []
    pending = list(selection_sets)
    while pending:
        selection_set = pending.pop()
        for selection in () if selection_set is None else selection_set.selections:
            if isinstance(selection, FieldNode) and selection.name.value == name:
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = info.fragments.get(selection.name.value)
                pending.append(None if fragment is None else fragment.selection_set)
    return found


def connection(
    nodes: Sequence[Any], *, cursors: Sequence[Cursor], has_next_page: bool, **extra: Any
) -> dict[str, Any]:
    """A connection over one page of nodes, each with the cursor just past it (or a function
    of the resolve info that makes it)."""
    edges = [{"cursor": cursor, "node": node} for cursor, node in zip(cursors, nodes, strict=True)]
    end = edges[-1]["cursor"] if edges else None
    return {
        "edges": edges,
        "page_info": {"has_next_page": has_next_page, "end_cursor": end},
        **extra,
    }


def _offset_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{OFFSET_PREFIX}{offset}".encode()).decode()


def _offset_after(after: str | None) -> int:
    after = cursor(after)
    if after is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(after.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    number = text.removeprefix(OFFSET_PREFIX)
    if not text.startswith(OFFSET_PREFIX) or not number.isdigit():
        raise InvalidInput(
            "the cursor is not one this API gave out", code="invalid_cursor", field="after"
        )
    return int(number) + 1


def sliced(items: Sequence[Any], *, first: int | None, after: str | None) -> dict[str, Any]:
    """A connection over a whole list the service returned, cut into pages here."""
    size, start = page_size(first), _offset_after(after)
    page = items[start : start + size]
    return connection(
        page,
        cursors=[_offset_cursor(start + offset) for offset in range(len(page))],
        has_next_page=start + size < len(items),
        total_count=len(items),
    )
