"""The Celery application: broker and behaviour come from ``hub.settings`` (``CELERY_*``).

A worker's pool process freezes what it holds for good (``gc.freeze``: Django, the loaded modules, then
after its first task the EDIFACT directories and mapping tables) so that the garbage collector stops
walking those objects again and again: the translation of a batch makes enough objects to set off full
collections, which cost a worker about a fifth of its time (bench/profile_ingest.py).
"""

import gc
import os

from celery import Celery
from celery.signals import task_postrun, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

app = Celery("logihub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_freeze_after_next_task = False  # set in a pool process, until its first task has run


@worker_process_init.connect
def _freeze_what_the_pool_process_inherited(**_kwargs) -> None:
    global _freeze_after_next_task
    gc.freeze()
    _freeze_after_next_task = True


@task_postrun.connect
def _freeze_what_the_first_task_loaded(**_kwargs) -> None:
    global _freeze_after_next_task
    if _freeze_after_next_task:
        _freeze_after_next_task = False
        gc.collect()
        gc.freeze()
