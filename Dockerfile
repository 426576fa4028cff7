# crmflow: one image for the API, the worker and the one-shot migration (the compose file picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md worker.py ./
COPY crmflow ./crmflow
COPY db ./db
COPY api ./api
COPY workflows ./workflows
COPY activities ./activities
COPY definitions ./definitions
COPY web ./web
RUN pip install . \
    && useradd --create-home --uid 10001 crmflow \
    && mkdir -p /app/var \
    && chown crmflow:crmflow /app/var

# Never run the service as root.
USER crmflow

# The API listens on 8000; the worker serves the Temporal SDK metrics on 9464 (CRMFLOW_WORKER_METRICS_ADDRESS).
ENV CRMFLOW_API_HOST=0.0.0.0 \
    CRMFLOW_WORKER_METRICS_ADDRESS=0.0.0.0:9464
EXPOSE 8000 9464

CMD ["crmflow", "api", "--host", "0.0.0.0", "--port", "8000"]
