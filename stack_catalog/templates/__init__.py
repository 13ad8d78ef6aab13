"""The built-in catalog templates; each package declares ``TEMPLATES`` without importing CDK."""
