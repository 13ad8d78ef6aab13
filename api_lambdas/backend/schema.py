"""The Backend's executable schema: the SDL in ``schema/*.graphql`` bound to the resolvers."""

from __future__ import annotations

from pathlib import Path

from ariadne import make_executable_schema
from graphql import GraphQLSchema, print_schema

from api_lambdas import dataset_resolvers
from api_lambdas.backend import catalog, datasets, search, shares, stacks, teams
from api_lambdas.lambda_runtime import once
from api_lambdas.query_checks import CheckedQueries
from api_lambdas.scalars import datetime_scalar, json_scalar
from api_lambdas.schema_files import PAGED, type_defs

SCHEMA_DIR = Path(__file__).parent / "schema"
COST_MAP = {
    "Query": {
        "templates": PAGED,
        "stacks": PAGED,
        "deployments": PAGED,
        "search": PAGED,
        "datasetShares": PAGED,
    },
    "Stack": {"deployments": PAGED},
    "Deployment": {"events": PAGED},
    "Dataset": {"history": PAGED},
}


@once
def backend_schema() -> GraphQLSchema:
    """The schema, built once per process."""
    return make_executable_schema(
        type_defs(SCHEMA_DIR),
        json_scalar,
        datetime_scalar,
        catalog.query,
        stacks.query,
        teams.query,
        search.search_query,
        dataset_resolvers.query,
        shares.query,
        catalog.mutation,
        stacks.mutation,
        teams.mutation,
        datasets.mutation,
        shares.mutation,
        dataset_resolvers.dataset,
        *catalog.BINDABLES,
        *stacks.BINDABLES,
        *search.BINDABLES,
        *datasets.BINDABLES,
        *shares.BINDABLES,
        convert_names_case=True,
    )


@once
def backend_queries() -> CheckedQueries:
    """The schema's parsed and validated queries, kept for the life of the process."""
    return CheckedQueries(backend_schema(), COST_MAP)


def schema_sdl() -> str:
    """The schema as SDL, the form the snapshot stores."""
    return print_schema(backend_schema()) + "\n"
