"""The Celery application: broker and behaviour come from ``hub.settings`` (``CELERY_*``)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

app = Celery("logihub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
