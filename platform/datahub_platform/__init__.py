"""The base platform of DATAHUB as a CDK app: its typed configuration and its stacks."""
