"""Bundle tests use the API test app (real database, test registry) and a bundle folder store."""

from __future__ import annotations

from tests.cdk_service.api.conftest import as_user, client, settings, synthesizer

__all__ = ["as_user", "client", "settings", "synthesizer"]
