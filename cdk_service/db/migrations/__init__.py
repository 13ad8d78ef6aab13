"""aerich migrations, one folder per Tortoise app; a package so that setuptools ships it."""
