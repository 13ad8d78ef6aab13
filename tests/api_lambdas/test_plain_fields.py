"""The plain-fields executor answers exactly as graphql-core's own does, errors included."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from ariadne import EnumType, ObjectType, QueryType, graphql, make_executable_schema
from graphql import GraphQLSchema
from graphql.execution.executor_throwing_on_incremental import ExecutorThrowingOnIncremental

from api_lambdas.plain_fields import PlainFieldsExecutor
from api_lambdas.scalars import datetime_scalar

SDL = """
scalar DateTime
enum Colour { RED GREEN }
type Query { things: [Thing!]!  thing: Thing }
type Thing {
  id: ID!
  name: String!
  nickName: String
  size: Int
  colour: Colour
  madeAt: DateTime
  shout(loud: Boolean): String
  parts: [Part!]
  owner: Thing
}
type Part { label: String!  later: String  size: Int! }
type Box { things: [Thing] parts: [Part!] }
extend type Query { box: Box  boxes: [Box!]! }
"""


def _schema(things: list[dict[str, Any]]) -> GraphQLSchema:
    query = QueryType()
    query.set_field("things", lambda *_: things)
    query.set_field("thing", lambda *_: things[0] if things else None)
    query.set_field("box", lambda *_: {"things": things, "parts": _parts(things)})
    query.set_field("boxes", lambda *_: [{"things": things, "parts": _parts(things)}] * 2)
    colour = EnumType("Colour", {"RED": "red", "GREEN": "green"})
    part = ObjectType("Part")

    @part.field("later")
    async def resolve_later(parent: dict[str, Any], _: Any) -> str:
        await asyncio.sleep(0)
        if parent["label"] == "boom":
            raise ValueError("later failed")
        return f"later {parent['label']}"

    return make_executable_schema(
        SDL, query, colour, part, datetime_scalar, convert_names_case=True
    )


def _parts(things: list[dict[str, Any]]) -> list[Any]:
    return [part for thing in things for part in (thing.get("parts") or [])]


def _thing(number: int, **changes: Any) -> dict[str, Any]:
    thing = {
        "id": f"t-{number}",
        "name": f"thing {number}",
        "nick_name": None if number % 2 else f"nick {number}",
        "size": number,
        "colour": "red" if number % 2 else "green",
        "made_at": datetime(2026, 1, number + 1, tzinfo=UTC),
        "shout": lambda _info, loud=False: "HEY" if loud else "hey",
        "parts": [{"label": f"p{number}", "size": number}],
        "owner": {"id": "o", "name": "owner"},
    }
    return thing | changes


async def _both(things: list[dict[str, Any]], query: str) -> tuple[Any, Any]:
    schema = _schema(things)
    answers = []
    for executor in (ExecutorThrowingOnIncremental, PlainFieldsExecutor):
        _, answer = await graphql(schema, {"query": query}, execution_context_class=executor)
        answers.append(answer)
    return answers[0], answers[1]


QUERY = """
{ things {
    madeAt name id alias: nickName size colour __typename shout(loud: true) parts { label }
    owner { name } ...more
} }
fragment more on Thing { name size }
"""


async def test_the_same_answer_in_the_same_field_order() -> None:
    full, plain = await _both([_thing(n) for n in range(5)], QUERY)
    assert plain == full
    assert not plain.get("errors")
    first = plain["data"]["things"][0]
    assert list(first) == list(full["data"]["things"][0])
    assert first["madeAt"].startswith("2026-01-01")  # the custom scalar coerced
    assert first["colour"] == "GREEN" and first["shout"] == "HEY"


async def test_a_missing_non_null_leaf_is_graphql_cores_error_at_its_path() -> None:
    things = [_thing(0), _thing(1, name=None), _thing(2)]
    full, plain = await _both(things, "{ things { id name } thing { size } }")
    assert plain == full
    assert plain["data"] is None
    assert plain["errors"][0]["path"] == ["things", 1, "name"]


async def test_a_value_its_scalar_refuses_is_refused_as_graphql_core_refuses_it() -> None:
    things = [_thing(0, size="many"), _thing(1, colour="blue")]
    full, plain = await _both(things, "{ things { id size colour } }")
    assert plain == full
    assert {tuple(e["path"]) for e in plain["errors"]} == {
        ("things", 0, "size"),
        ("things", 1, "colour"),
    }


BOXES = """
{ box { things { id owner { name } parts { label later size } } parts { size later } }
  boxes { parts { label } } }
"""


async def test_objects_and_lists_of_objects_with_async_fields_inside() -> None:
    full, plain = await _both([_thing(n) for n in range(4)], BOXES)
    assert plain == full
    assert not plain.get("errors")
    assert plain["data"]["box"]["things"][2]["parts"][0]["later"] == "later p2"


@pytest.mark.parametrize(
    ("broken", "why"),
    [
        ({"parts": [{"label": "boom", "size": 1}]}, "an async field inside a list item raises"),
        ({"parts": [{"label": "x", "size": None}]}, "a non-null leaf in a non-null item is null"),
        ({"parts": [None]}, "a null item where items are non-null"),
        ({"parts": [{"label": "x", "size": "big"}]}, "a scalar refuses a value inside an item"),
        ({"owner": {"name": None}}, "a non-null leaf of a nested object is null"),
        ({"parts": {"label": "x"}}, "an object where a list is due"),
        ({"owner": ["not", "an", "object"]}, "a list where an object is due"),
    ],
)
async def test_errors_below_plain_fields_bubble_as_graphql_core_bubbles_them(
    broken: dict[str, Any], why: str
) -> None:
    things = [_thing(0), _thing(1, **broken), _thing(2)]
    full, plain = await _both(things, BOXES)
    assert plain["data"] == full["data"], why
    assert _by_path(plain["errors"]) == _by_path(full["errors"]), why  # async: any order
    assert plain["errors"], why


def _by_path(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(errors, key=lambda error: [str(key) for key in error["path"]])
