"""DATAHUB on a laptop: the command line, the local platform and the local API gateway."""
