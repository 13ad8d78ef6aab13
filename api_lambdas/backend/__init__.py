"""The Backend Lambda: the GraphQL API people use, through Cognito and the Authorizer."""
