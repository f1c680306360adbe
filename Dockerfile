# One image for web (gunicorn), worker and beat; see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=tracker.settings.base \
    # gunicorn reads WEB_CONCURRENCY itself as its default worker count.
    WEB_CONCURRENCY=2

# WeasyPrint renders PDFs through Pango/HarfBuzz and needs at least one system font;
# Persian text uses the Vazirmatn files under static/. psycopg[binary] bundles libpq.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fontconfig \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# pg_dump/pg_restore for `manage.py backup`/`restore` (the compose backup service): a
# client of the server's major version (Debian bookworm ships 15, compose runs 16), from the
# PostgreSQL project's apt repository that Debian's postgresql-common sets up.
ARG PG_CLIENT_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common ca-certificates \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-${PG_CLIENT_MAJOR} \
    && rm -rf /var/lib/apt/lists/*
ENV PG_BIN_DIR=/usr/lib/postgresql/${PG_CLIENT_MAJOR}/bin

RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first so that code changes do not reinstall them.
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

# The project, directory by directory: nothing local (.venv, .env, var/, .git) reaches the
# image. tests/test_compose.py fails when a new app directory is missing here.
COPY manage.py ./
COPY tracker/ tracker/
COPY organizations/ organizations/
COPY attachments/ attachments/
COPY meetings/ meetings/
COPY agreements/ agreements/
COPY notifications/ notifications/
COPY commitments/ commitments/
COPY dashboard/ dashboard/
COPY operations/ operations/
COPY imports/ imports/
COPY templates/ templates/
COPY locale/ locale/
COPY static/ static/

# Static files are collected (hashed and compressed for WhiteNoise) at build time with a
# throw-away key; the real SECRET_KEY only exists at run time. The DATABASE_URL is never
# connected to: without one, manage.py would start the embedded development PostgreSQL.
RUN SECRET_KEY=collectstatic-build-only DEBUG=0 DATABASE_URL=postgres://build@127.0.0.1:1/none \
    python manage.py collectstatic --noinput \
    && mkdir -p var/media var/backups var/metrics \
    && chown -R app:app var

USER app

EXPOSE 8000

CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--forwarded-allow-ips", "127.0.0.1"]
