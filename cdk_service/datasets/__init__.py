"""Datasets: registered by teams (or from their dataset stacks), with a history of changes."""
