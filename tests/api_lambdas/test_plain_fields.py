"""The plain-fields executor answers exactly as graphql-core's own does, errors included."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ariadne import EnumType, QueryType, graphql, make_executable_schema
from graphql import GraphQLSchema
from graphql.execution.executor_throwing_on_incremental import ExecutorThrowingOnIncremental

from api_lambdas.graphql_http import format_error
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
type Part { label: String! }
"""


def _schema(things: list[dict[str, Any]]) -> GraphQLSchema:
    query = QueryType()
    query.set_field("things", lambda *_: things)
    query.set_field("thing", lambda *_: things[0] if things else None)
    colour = EnumType("Colour", {"RED": "red", "GREEN": "green"})
    return make_executable_schema(SDL, query, colour, datetime_scalar, convert_names_case=True)


def _thing(number: int, **changes: Any) -> dict[str, Any]:
    thing = {
        "id": f"t-{number}",
        "name": f"thing {number}",
        "nick_name": None if number % 2 else f"nick {number}",
        "size": number,
        "colour": "red" if number % 2 else "green",
        "made_at": datetime(2026, 1, number + 1, tzinfo=UTC),
        "shout": lambda _info, loud=False: "HEY" if loud else "hey",
        "parts": [{"label": f"p{number}"}],
        "owner": {"id": "o", "name": "owner"},
    }
    return thing | changes


async def _both(things: list[dict[str, Any]], query: str) -> tuple[Any, Any]:
    schema = _schema(things)
    answers = []
    for executor in (ExecutorThrowingOnIncremental, PlainFieldsExecutor):
        _, answer = await graphql(
            schema,
            {"query": query},
            error_formatter=format_error,
            execution_context_class=executor,
        )
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
