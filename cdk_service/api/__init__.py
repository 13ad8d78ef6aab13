"""The service's internal HTTP API (aiohttp): signed requests in, JSON out."""
