"""Migrations of the ``models`` app, applied in numeric order by ``cdk_service.db.upgrade``."""
