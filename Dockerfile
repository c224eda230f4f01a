# Social Media Policy portal: one image for the web server, the Celery worker
# and the Celery scheduler (see docker-compose.yml).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint's runtime libraries (PDF policies and reports) and a font for them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system portal \
    && useradd --system --gid portal --home-dir /app --no-create-home --shell /usr/sbin/nologin portal

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image (served by WhiteNoise). The key is
# for this step only; the container refuses to start without a real one.
RUN DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS='*' \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/var /srv/private \
    && chown -R portal:portal /app/var /srv/private

# Uploaded evidence: mount a volume here (docker-compose.yml does).
ENV PORTAL_PRIVATE_FILES=/srv/private

USER portal

EXPOSE 8000

# /healthz/ is exempt from the HTTPS redirect; the Host header is the first allowed host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; host = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); host = 'localhost' if host in ('', '*') else host; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz/', headers={'Host': host}), timeout=4)"]

CMD ["gunicorn", "-c", "socialpolicy/gunicorn.conf.py", "socialpolicy.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
