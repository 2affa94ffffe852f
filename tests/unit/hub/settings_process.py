"""Settings as a fresh process loads them from an environment (settings are read once, at import)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DATABASE_URL": "postgresql://u@127.0.0.1:5/x",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "DEBUG": "0",
}


def production_value(expression: str, **env: str) -> str:
    """``expression`` over the settings as production loads them (a fresh process, this environment)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "CELERY_", "CHANNEL_", "SECURE_", "CACHE_"))
    }
    code = f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env, "DJANGO_SETTINGS_MODULE": "hub.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()
