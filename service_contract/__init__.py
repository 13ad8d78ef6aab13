"""The shared contract of the service, the Lambdas and the command line: errors, identity,
request signing, the service client, cursors and AWS calls. It imports nothing else of ours but
the template contract's identifier patterns (``stack_catalog.contract``)."""
