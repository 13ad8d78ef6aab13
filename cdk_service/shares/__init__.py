"""Dataset shares: request, approve, grant through the owner's stack, and revoke."""
