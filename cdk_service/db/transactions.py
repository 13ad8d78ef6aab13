"""One unit of work: the one way every service that writes opens a database transaction."""

from __future__ import annotations

from tortoise.backends.base.client import TransactionContext
from tortoise.transactions import in_transaction


def transaction() -> TransactionContext:
    """Everything inside commits together or not at all; nested, a savepoint. Yields the
    transaction's connection, for raw queries that must run inside it."""
    return in_transaction()
