"""The Celery application: broker and behaviour come from ``hub.settings`` (``CELERY_*``).

A worker's pool process freezes what it holds for good (``gc.freeze``: Django, the loaded modules, then
after its first task the EDIFACT directories and mapping tables) so that the garbage collector stops
walking those objects again and again: the translation of a batch makes enough objects to set off full
collections, which cost a worker about a fifth of its time (bench/profile_ingest.py).

A worker's database connection outlives its tasks: Celery's own recycling is off (``CELERY_DB_REUSE_MAX``)
and before and after each task Django's ``close_old_connections`` closes, as at the start and end of a
request, a connection older than ``DB_CONN_MAX_AGE``, one left in a transaction, or one that failed and
no longer answers (a PostgreSQL restart): the next task connects anew.
"""

import gc
import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_process_init

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


@task_prerun.connect
@task_postrun.connect
def _close_old_database_connections(task=None, **_kwargs) -> None:
    """What Django does around a request; not for a task run eagerly, inside its caller's transaction."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
