# syntax=docker/dockerfile:1
# The service image: `datahubctl serve` (the default), `datahubctl worker` and
# `datahubctl scheduler` from one image. Built from the lock (requirements/service.txt, every
# package checked against its hash), then this project's wheel without dependencies.
# Bases pinned by digest: bump them deliberately (see the README's "Bootstrap" section).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:2e32f7d302adc1c37428355c1e646897c0c53f4fd60b6a551245fb90ee129f91
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0

# jsii's runtime needs the node binary alone (no npm): taken from Node's own image.
FROM ${NODE_IMAGE} AS node

# The project's wheel, built from the sources the .dockerignore lets in.
FROM ${PYTHON_IMAGE} AS wheel
WORKDIR /src
COPY setup.py setup.cfg pyproject.toml README.md ./
COPY stack_catalog/ stack_catalog/
COPY cdk_service/ cdk_service/
COPY api_lambdas/ api_lambdas/
COPY bootstrap/ bootstrap/
COPY datahubctl/ datahubctl/
COPY service_contract/ service_contract/
COPY platform/datahub_platform/ platform/datahub_platform/
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# The virtual environment: the locked dependencies with their hashes, then the wheel alone.
FROM ${PYTHON_IMAGE} AS environment
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/datahub
COPY requirements/service.txt /tmp/service.txt
RUN /opt/datahub/bin/pip install --require-hashes --only-binary=:all: -r /tmp/service.txt
COPY --from=wheel /wheels/ /tmp/wheels/
RUN /opt/datahub/bin/pip install --no-deps /tmp/wheels/*.whl

FROM ${PYTHON_IMAGE} AS service
ARG JSII_CACHE=/var/cache/datahub/jsii
ENV PATH=/opt/datahub/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 \
    JSII_RUNTIME_PACKAGE_CACHE_ROOT=${JSII_CACHE} \
    DATAHUB_HOST=0.0.0.0 \
    DATAHUB_PORT=8080
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=environment /opt/datahub /opt/datahub
RUN groupadd --system --gid 10001 datahub \
    && useradd --system --uid 10001 --gid datahub --create-home --home-dir /home/datahub datahub \
    && mkdir -p ${JSII_CACHE} \
    && chown -R datahub:datahub ${JSII_CACHE}
USER 10001:10001
WORKDIR /home/datahub
# jsii unpacks aws-cdk-lib into its package cache at the first synth of a worker: done once here,
# in the folder the task mounts its cache volume on (a Fargate volume starts with the image's
# files), so a new task's first synth does not unpack it again.
RUN node --version \
    && python -c "from cdk_service.synthesis.synthesizer import warm; warm()" \
    && test -n "$(ls -A ${JSII_CACHE})"
VOLUME ["/var/cache/datahub/jsii"]
EXPOSE 8080
# ECS ignores an image's health check (the load balancer checks /healthz); for docker run of
# `serve`. Worker and scheduler containers answer no HTTP: run them with --no-healthcheck.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('DATAHUB_PORT', '8080') + '/healthz', timeout=4)"]
CMD ["datahubctl", "serve"]
