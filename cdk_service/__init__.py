"""The DATAHUB service: catalog, synthesis, deployment and the internal API."""
