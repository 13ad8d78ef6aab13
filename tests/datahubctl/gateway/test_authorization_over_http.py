"""The authorization matrix again, end to end: HTTP to the local gateway with real Cognito tokens.

Each caller of the Backend matrix (an admin, a member of the owning team, a member of another
team) is a user of the moto pool who signs in; the real Authorizer turns the token into the
caller the real Backend Lambda passes to the service. The matrix's own tests run unchanged
against this ``ask``.
"""

from __future__ import annotations

from tests.api_lambdas.backend.test_authorization_matrix import (
    owned,
    test_refused_and_nothing_leaked,
    test_the_owner_sees_what_others_cannot,
)
from tests.api_lambdas.service_fixtures import lambda_environment, service
from tests.datahubctl.gateway.over_http import ask, http, signed_in

__all__ = [
    "ask",
    "http",
    "lambda_environment",
    "owned",
    "service",
    "signed_in",
    "test_refused_and_nothing_leaked",
    "test_the_owner_sees_what_others_cannot",
]
