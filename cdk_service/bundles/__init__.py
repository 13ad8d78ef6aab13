"""Template bundles: template packages that admins upload to a running service."""
