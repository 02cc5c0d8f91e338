# Foulée's image: the app with its pinned dependencies. See docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FOULEE_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml constraints.txt README.md LICENSE ./
COPY foulee ./foulee
COPY web ./web
COPY analytics ./analytics
COPY agent ./agent
COPY bot ./bot
COPY api ./api
COPY knowledge ./knowledge
RUN pip install --no-cache-dir --constraint constraints.txt . \
    && useradd --create-home --uid 1000 foulee \
    && mkdir -p /data && chown foulee /data

USER foulee
VOLUME ["/data"]
EXPOSE 8000
CMD ["foulee", "run", "--host", "0.0.0.0", "--port", "8000", "--no-demo"]
