"""The Authorizer Lambda: verifies Cognito JWTs for the Backend API Gateway."""
