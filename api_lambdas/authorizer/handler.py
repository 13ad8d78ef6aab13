"""The Authorizer Lambda's entry point: a REQUEST authorizer over the ``Authorization`` header."""

from __future__ import annotations

import functools
from typing import Any

import structlog

from api_lambdas.authorizer.policy import allow, deny
from api_lambdas.authorizer.tokens import CognitoTokens, TokenRejected
from api_lambdas.lambda_runtime import configure_lambda_logs
from api_lambdas.settings import LambdaSettings

log = structlog.get_logger("datahub.authorizer")


class Authorizer:
    """Decides one REQUEST authorizer event: Allow for a valid token, Deny for anything else."""

    def __init__(self, settings: LambdaSettings) -> None:
        self.tokens = CognitoTokens(settings)

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """The policy for ``event`` (never raises: a failure of any kind is a Deny)."""
        method_arn = str(event.get("methodArn") or "")
        try:
            caller = self.tokens.verify(bearer_token(event))
        except TokenRejected as rejected:
            log.info("token_rejected", reason=rejected.code, method_arn=method_arn)
            return deny(method_arn, rejected.code)
        except Exception:  # a Deny, not a 500, whatever went wrong; logged with its traceback
            log.exception("authorizer_failed", method_arn=method_arn)
            return deny(method_arn, "authorizer_error")
        return allow(caller, method_arn)


def bearer_token(event: dict[str, Any]) -> str:
    """The token of the ``Authorization`` header (``Bearer`` prefix optional, as Cognito's)."""
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    value = str(headers.get("authorization") or "").strip()
    scheme, _, rest = value.partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else value
    if not token:
        raise TokenRejected("no Authorization header", code="missing_token")
    return token


@functools.cache
def _authorizer() -> Authorizer:
    """Built on the first invocation (not at import), kept while the Lambda stays warm."""
    return Authorizer(LambdaSettings())


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point."""
    configure_lambda_logs()
    return _authorizer()(event, context)
