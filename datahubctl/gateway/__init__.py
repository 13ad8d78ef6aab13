"""The local API Gateway: runs the Lambdas in-process the way API Gateway (REST API) would."""
