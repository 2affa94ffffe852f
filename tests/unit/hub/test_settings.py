"""Settings come from the environment, and production refuses unsafe combinations."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SAFE_SECRET = "x" * 50


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CHANNEL_LAYER_URL", "SECRET_KEY", "DEBUG")
    }
    clean.update(env)
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CHANNEL_LAYERS['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "hub.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_defaults_are_sqlite_in_memory_layer_and_eager_tasks():
    done = load_settings()
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["django.db.backends.sqlite3", "channels.layers.InMemoryChannelLayer", "True", "True"]


def test_production_urls_select_postgresql_redis_and_rabbitmq():
    done = load_settings(
        DATABASE_URL="postgresql://u@127.0.0.1:5/x",
        CHANNEL_LAYER_URL="redis://127.0.0.1:6/0",
        CELERY_BROKER_URL="amqp://guest@127.0.0.1:7//",
        SECRET_KEY=SAFE_SECRET,
        DEBUG="0",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "hub.db",
        "channels_redis.core.RedisChannelLayer",
        "False",
        "False",
    ]


def test_refuses_to_start_in_debug_with_a_production_url():
    done = load_settings(DATABASE_URL="postgresql://u@127.0.0.1:5/x", SECRET_KEY=SAFE_SECRET, DEBUG="1")
    assert done.returncode != 0
    assert "DEBUG must be off" in done.stderr


def test_refuses_to_start_with_the_embedded_secret_in_production():
    done = load_settings(CELERY_BROKER_URL="amqp://guest@127.0.0.1:7//")
    assert done.returncode != 0
    assert "SECRET_KEY must be set" in done.stderr


def test_rejects_a_malformed_boolean():
    done = load_settings(DEBUG="maybe")
    assert done.returncode != 0
    assert "DEBUG must be a boolean" in done.stderr


def test_rejects_a_database_url_that_is_not_postgresql():
    done = load_settings(DATABASE_URL="mysql://u@h/x", SECRET_KEY=SAFE_SECRET, DEBUG="0")
    assert done.returncode != 0
    assert "DATABASE_URL must be a PostgreSQL URL" in done.stderr


def test_webhook_allowed_networks_are_cidr_networks_or_the_platform_does_not_start():
    bad = load_settings(WEBHOOK_ALLOWED_NETWORKS="10.20.0.0/16,not-a-network")
    assert bad.returncode != 0 and "WEBHOOK_ALLOWED_NETWORKS must be CIDR networks" in bad.stderr
    assert load_settings(WEBHOOK_ALLOWED_NETWORKS="10.20.0.0/16, fd00:20::/32").returncode == 0
