"""Shared building blocks for catalog templates; importing them starts jsii."""
