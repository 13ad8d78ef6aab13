"""CloudFormation custom resources the platform's deployment runs: migrations, search set-up,
the first admin."""
