"""The deploy engine: the one layer that talks to CloudFormation, resumable from ids alone."""
