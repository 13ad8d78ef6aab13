"""The system of record: Tortoise models, aerich migrations and the embedded database."""
