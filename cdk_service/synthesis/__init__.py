"""Synthesis of catalog templates to CloudFormation on a pool of warm worker processes."""
