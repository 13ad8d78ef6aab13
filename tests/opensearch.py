"""One OpenSearch node per test session, for the tests that need a real engine.

``DATAHUB_TEST_SEARCH_URL`` names a cluster to use instead. Without it the node is started
(once, on first use) from the launcher ``bash tools/opensearch/build`` builds; when Java or
the built launcher is missing the tests that need it skip and say why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from datahubctl.local.opensearch_node import launcher_classpath, opensearch_node

URL_VARIABLE = "DATAHUB_TEST_SEARCH_URL"


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    """The URL of an OpenSearch cluster for this session's tests."""
    if named := os.environ.get(URL_VARIABLE):
        yield named
        return
    if launcher_classpath() is None:
        pytest.skip(
            f"no OpenSearch test cluster: build the launcher (bash tools/opensearch/build) "
            f"or set {URL_VARIABLE}"
        )
    with opensearch_node() as url:
        yield url
