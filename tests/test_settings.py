import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent


def import_production(code="import django; django.setup()", **env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' conftest for this process; production never has it.
    ignored = {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in ignored}
    environment.setdefault("OPINIONS_SIGNING_KEY", "/etc/portal/signing-key.pem")
    environment.setdefault("OPINIONS_SIGNING_CERT", "/etc/portal/signing-cert.pem")
    environment.setdefault("FIELD_ENCRYPTION_KEYS", "ZmDfcTF7_60GrrY167zsiPd67pEvs0aGOv2oasOM1Pg=")
    environment.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = import_production(ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_wildcard_or_empty_allowed_hosts():
    key = "k" * 50
    assert "ALLOWED_HOSTS must list" in import_production(SECRET_KEY=key).stderr
    assert "ALLOWED_HOSTS must list" in import_production(SECRET_KEY=key, ALLOWED_HOSTS="*").stderr


def test_production_starts_with_real_settings():
    result = import_production(SECRET_KEY="s3cr3t-" + "x" * 40, ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.returncode == 0, result.stderr


def test_settings_follow_the_conventions(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.AUTH_USER_MODEL == "accounts.User"


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production():
    from django.contrib.auth import get_user_model

    with override_settings(PORTAL_ENVIRONMENT="production"), pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_database_url_selects_the_database(monkeypatch):
    import dj_database_url

    config = dj_database_url.parse("postgres://portal@127.0.0.1:5432/portal")
    assert config["ENGINE"] == "django.db.backends.postgresql"


def test_production_runs_background_work_in_the_database_worker():
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    )
    result = import_production(code, SECRET_KEY="s" * 50, ALLOWED_HOSTS="portal.example.gov.cn")
    assert result.stdout.strip() == "django_tasks_db.DatabaseBackend", result.stderr


def test_production_refuses_to_start_without_field_encryption_keys():
    result = import_production(
        SECRET_KEY="s3cr3t-" + "x" * 40, ALLOWED_HOSTS="portal.example.gov.cn", FIELD_ENCRYPTION_KEYS=""
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must hold" in result.stderr


def test_production_refuses_to_start_without_the_signing_certificate():
    result = import_production(
        SECRET_KEY="s3cr3t-" + "x" * 40, ALLOWED_HOSTS="portal.example.gov.cn", OPINIONS_SIGNING_CERT=""
    )
    assert result.returncode != 0
    assert "OPINIONS_SIGNING_KEY and OPINIONS_SIGNING_CERT" in result.stderr


def test_production_keeps_each_workers_database_connection_and_checks_it():
    code = (
        "import django; django.setup(); from django.conf import settings; database = settings.DATABASES['default'];"
        "print(database['CONN_MAX_AGE'], database['CONN_HEALTH_CHECKS'])"
    )
    hosts = {"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "portal.example.gov.cn"}
    assert import_production(code, **hosts).stdout.split() == ["300", "True"]
    assert import_production(code, CONN_MAX_AGE="0", **hosts).stdout.split() == ["0", "True"]


def test_production_requires_two_factor_sign_in_and_a_sign_in_lasts_a_working_day():
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.TWO_FACTOR_REQUIRED, settings.SESSION_COOKIE_AGE)"
    )
    hosts = {"SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "portal.example.gov.cn"}
    assert import_production(code, **hosts).stdout.split() == ["True", str(10 * 3600)]


def test_production_logs_one_json_object_per_line():
    code = "import django; django.setup(); import logging; logging.getLogger('portal.probe').warning('磁盘将满')"
    result = import_production(code, SECRET_KEY="s" * 50, ALLOWED_HOSTS="portal.example.gov.cn")
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "portal.probe", "磁盘将满")
    assert "time" in line
