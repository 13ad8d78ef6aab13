"""The template catalog: versions from code, their lifecycle, constraints and request checks."""
