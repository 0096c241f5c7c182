# The portal's image: the web server (gunicorn) and the background worker (manage.py worker) run from it.
# Pango and HarfBuzz's subsetter for WeasyPrint (opinion PDFs); the PDFs embed the portal's own CJK font
# (portal/opinions/fonts), fonts-noto-cjk is the fallback for pages rendered by the browser-side tools.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production PORTAL_VAR_DIR=/var/lib/portal

RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk gettext postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home-dir /srv/portal --shell /usr/sbin/nologin portal

WORKDIR /srv/portal
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Translations and static files are built into the image; the settings need only placeholders to do it.
RUN SECRET_KEY=build-only-not-a-secret-000000000000 ALLOWED_HOSTS=build.invalid \
    FIELD_ENCRYPTION_KEYS=ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg= \
    OPINIONS_SIGNING_KEY=/dev/null OPINIONS_SIGNING_CERT=/dev/null \
    sh -c "python manage.py compilemessages --ignore=.venv -v 0 && python manage.py collectstatic --noinput -v 0" \
 && mkdir -p /var/lib/portal && chown -R portal /var/lib/portal

USER portal
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health/', timeout=4)"
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
