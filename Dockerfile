# The sensegrid image: one image for migrate, mqtt-credentials, ingest, alerts, notify and api
# (docker-compose.yml picks the command). Dependencies pinned by constraints.txt.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY core core
COPY domains domains
COPY store store
COPY ingest ingest
COPY alerts alerts
COPY api api
COPY sim sim
COPY sensegrid sensegrid
RUN pip install -c constraints.txt . && useradd --system --uid 10001 --home-dir /app sensegrid
COPY deploy/ingest-replica.sh /usr/local/bin/ingest-replica
USER sensegrid
CMD ["sensegrid", "--help"]
