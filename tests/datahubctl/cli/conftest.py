"""The CLI tests reuse the API tests' app, fake synthesizer and signing key."""

from tests.cdk_service.api.conftest import as_user, client, settings, synthesizer

__all__ = ["as_user", "client", "settings", "synthesizer"]
