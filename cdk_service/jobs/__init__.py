"""Deploy workers: the celery app, the deploy task and the flow that carries a deployment out."""
