"""Packaging: setup.cfg's packages plus the base platform's, which lives in platform/."""

from setuptools import find_packages, setup
from setuptools.config.setupcfg import read_configuration

found = read_configuration("setup.cfg")["options"]["packages"]
setup(packages=[*found, *find_packages("platform", include=["datahub_platform*"])])
