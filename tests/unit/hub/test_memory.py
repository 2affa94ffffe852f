"""A loaded server process freezes its heap and collects young garbage less often (hub/memory.py)."""

import gc

import pytest

from hub.memory import settle


@pytest.fixture
def restored_gc():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settle_freezes_what_the_process_holds_and_raises_the_young_threshold(settings, restored_gc):
    settings.GC_GEN0_THRESHOLD = 12_345
    _young, middle, old = gc.get_threshold()
    settle()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (12_345, middle, old)


def test_a_zero_threshold_leaves_cpythons_own(settings, restored_gc):
    settings.GC_GEN0_THRESHOLD = 0
    before = gc.get_threshold()
    settle()
    assert gc.get_threshold() == before
