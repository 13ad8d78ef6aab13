"""The Metadata Lambda: GraphQL for pipelines (IAM principals) to read and describe datasets."""
