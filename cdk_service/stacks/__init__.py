"""Stacks and deployments: requests, approval, visibility, and the records workers keep."""
