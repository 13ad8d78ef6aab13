"""The GraphQL Lambdas (Backend, Authorizer, Metadata, AWS Worker), custom resources and the local
API Gateway that runs them in development."""
