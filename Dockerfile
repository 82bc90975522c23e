# The dashboard as a container: `docker build -t who-said-what . && docker run -p 8501:8501 who-said-what`
# (docker/check-image.sh builds, runs and checks it; README "Share a hosted link").
# The seed corpus is ingested at build time into /app/data; mount a volume on /app/data to keep
# a larger corpus (an empty one is seeded from seeds/ on first start).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ANALYSIS_STORE=/app/data

RUN useradd --create-home --uid 1000 app
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
# The code stays root's, read-only to the app; the store folder is the one place the app writes.
COPY . .
RUN install -d -o app -g app /app/data

# Seeds built into the image, so the first visitor does not wait for the language model.
USER app
RUN python -m analysis ingest seeds --store /app/data --quiet \
 && python -c "from analysis.corpus import open_corpus; open_corpus()"

# The container starts as root only to give a mounted store folder to an unprivileged user, who
# then runs the dashboard (docker/entrypoint.sh). `docker exec -u app …` for commands by hand.
USER root
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read().strip() == b'ok' else 1)"
ENTRYPOINT ["/bin/sh", "/app/docker/entrypoint.sh"]
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0", "--server.headless=true"]
