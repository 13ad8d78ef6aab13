"""The Metadata API's executable schema: the shared dataset types and its own operations."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from ariadne import MutationType, QueryType, make_executable_schema
from graphql import GraphQLResolveInfo, GraphQLSchema, print_schema

from api_lambdas import dataset_resolvers
from api_lambdas.arguments import MAX_SEARCH_TEXT, bounded
from api_lambdas.dataset_resolvers import dataset_path, update_dataset
from api_lambdas.lambda_runtime import once
from api_lambdas.query_checks import CheckedQueries
from api_lambdas.resolver_context import ResolverContext, service_of
from api_lambdas.scalars import datetime_scalar, json_scalar
from api_lambdas.schema_files import PAGED, type_defs
from api_lambdas.search_pages import search_page

SCHEMA_DIR = Path(__file__).parent / "schema"
COST_MAP = {"Query": {"datasets": PAGED}, "Dataset": {"history": PAGED}}
query = QueryType()
mutation = MutationType()


@query.field("principal")
def resolve_principal(_: None, info: GraphQLResolveInfo) -> dict[str, Any]:
    """The caller and its teams, as the service mapped them."""
    context: ResolverContext = info.context
    return {"principal_arn": context.identity.user, "teams": sorted(context.identity.teams)}


@query.field("datasets")
async def resolve_datasets(
    _: None,
    info: GraphQLResolveInfo,
    name: str,
    first: int,
    team: str | None = None,
    after: str | None = None,
) -> dict[str, Any]:
    """Datasets found through search, each read in full."""
    bounded(team, "team")
    facets = {"kind": "dataset", **({"team": team} if team else {})}
    text = bounded(name, "name", most=MAX_SEARCH_TEXT) or ""
    page = await search_page(info, text=text, facets=facets, first=first, after=after)
    service = service_of(info)
    details = await asyncio.gather(
        *(service.read(dataset_path(edge["node"]["id"])) for edge in page["edges"])
    )
    edges = [{**edge, "node": detail} for edge, detail in zip(page["edges"], details, strict=True)]
    return {**page, "edges": edges}


@mutation.field("updateDatasetMetadata")
async def resolve_update(_: None, info: GraphQLResolveInfo, id: str, input: dict[str, Any]) -> Any:
    """Change the given metadata fields of a dataset."""
    return await update_dataset(info, id, input)


@once
def metadata_schema() -> GraphQLSchema:
    """The schema, built once per process."""
    return make_executable_schema(
        type_defs(SCHEMA_DIR),
        json_scalar,
        datetime_scalar,
        query,
        mutation,
        dataset_resolvers.query,
        dataset_resolvers.dataset,
        convert_names_case=True,
    )


@once
def metadata_queries() -> CheckedQueries:
    """The schema's parsed and validated queries, kept for the life of the process."""
    return CheckedQueries(metadata_schema(), COST_MAP)


def schema_sdl() -> str:
    """The schema as SDL, the form the snapshot stores."""
    return print_schema(metadata_schema()) + "\n"
