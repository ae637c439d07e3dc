# QClub production image: gunicorn serving Django, static files by WhiteNoise.
# Front-end packages come from the npm registry at build time (no CDN at run time).
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=false
# WeasyPrint needs Pango; gettext compiles the translation catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY qclub/__init__.py qclub/__init__.py
RUN pip install --no-cache-dir .  && pip uninstall -y qclub
COPY . .
COPY --from=assets /build/node_modules ./node_modules
RUN SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build \
    python manage.py compilemessages -v 0 --ignore=node_modules \
    && SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --no-input -v 0 \
    && useradd --system --uid 10001 qclub && mkdir -p /app/media && chown -R qclub /app
USER qclub
EXPOSE 8000
CMD ["gunicorn", "qclub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
