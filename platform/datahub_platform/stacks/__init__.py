"""The platform's stacks, one module each, wired together in ``datahub_platform.app``."""
