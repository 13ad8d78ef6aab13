"""Running the platform on one machine: moto's server for AWS, and ``datahubctl up``'s pieces."""
