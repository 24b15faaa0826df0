# VIK image for docker-compose.yml (web, worker, beat) and for production.
# Stage 1 installs the front-end packages with npm and copies the files VIK serves into
# static/vendor (scripts/vendor_assets.py); stage 2 is the runtime without node.
# Build context: the project folder. Keep .venv, node_modules, .local and .git out of it
# (a .dockerignore with those lines), they are not needed and .local holds the local database.

FROM python:3.11-slim-bookworm AS assets
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY scripts/vendor_assets.py scripts/vendor_assets.py
RUN python scripts/vendor_assets.py

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=vik.settings.production \
    VIK_FILE_STORE=/data/files \
    PORT=8000
# WeasyPrint needs pango and fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first (cached while pyproject.toml is unchanged); the project itself has no
# installable packages, the apps run from /app.
COPY pyproject.toml ./
RUN pip install .
COPY . .
COPY --from=assets /app/static/vendor /app/static/vendor
RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin vik \
    && mkdir -p /data/files /app/.local \
    && chown -R vik: /data /app/.local
USER vik
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"
CMD ["sh", "-c", "exec gunicorn vik.wsgi --bind 0.0.0.0:${PORT} --workers 2 --access-logfile - --no-control-socket"]
