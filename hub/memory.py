"""Long-lived server processes keep the garbage collector off the request path.

After start-up a process holds hundreds of thousands of objects that live as long as it does
(Django, DRF, the URL patterns and views, the EDIFACT directories). CPython's collector walks them
again in every full collection, and with its default young-generation threshold (700 allocations) a
request that builds a few thousand objects sets off several collections; the slowest answers
of the container benchmark were the ones a collection fell on. :func:`settle` is called once the
process is loaded: it freezes what it holds (``gc.freeze``: never walked again) and collects the
young generation every ``GC_GEN0_THRESHOLD`` allocations instead (memory grows by that many young
objects at most; cycles are still collected).

    settle()   # at the end of hub/asgi.py; the Celery pool freezes in hub/celery.py
"""

from __future__ import annotations

import gc

from django.conf import settings


def settle() -> None:
    """Freeze everything the process holds now and set the young generation's threshold."""
    gc.collect()
    gc.freeze()
    if settings.GC_GEN0_THRESHOLD:
        _young, middle, old = gc.get_threshold()
        gc.set_threshold(settings.GC_GEN0_THRESHOLD, middle, old)
