"""Collapsing reads: read storms, out-of-order times, clock skew, duplicate EPC encodings."""

from datetime import timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from rfid.dedupe import collapse, passes
from rfid.parse import Read
from tests.unit.rfid.conftest import NOW, TRUCK_TAG


def test_a_storm_of_500_reads_from_4_antennas_in_a_second_is_one_aggregate():
    reads = [Read(TRUCK_TAG, 1 + i % 4, -70 + (i % 23), NOW + timedelta(microseconds=i * 2000)) for i in range(500)]
    collapsed = collapse(reads, received_at=NOW, max_skew=300)
    (agg,) = collapsed.by_tag.values()
    assert agg.count == 500 and agg.antennas == {1, 2, 3, 4} and agg.best_rssi == -48
    assert agg.first == NOW and agg.last == NOW + timedelta(microseconds=998000)


def test_out_of_order_reads_keep_first_and_last_seen():
    times = [NOW + timedelta(seconds=s) for s in (5, 1, 9, 3)]
    collapsed = collapse([Read(TRUCK_TAG, 1, None, t) for t in times], received_at=NOW, max_skew=300)
    agg = collapsed.by_tag[next(iter(collapsed.by_tag))]
    assert (agg.first, agg.last, agg.best_rssi) == (NOW + timedelta(seconds=1), NOW + timedelta(seconds=9), None)


def test_read_times_off_by_more_than_the_skew_take_the_receive_time():
    reads = [Read(TRUCK_TAG, 1, -50, NOW + timedelta(days=365)), Read(TRUCK_TAG, 1, -50, NOW - timedelta(hours=2))]
    collapsed = collapse(reads, received_at=NOW, max_skew=300)
    agg = next(iter(collapsed.by_tag.values()))
    assert (agg.first, agg.last, collapsed.skewed) == (NOW, NOW, 2)


def test_zebra_seen_counts_add_up():
    collapsed = collapse(
        [Read(TRUCK_TAG, 1, -50, NOW, 256), Read(TRUCK_TAG, 2, -40, NOW, 10)], received_at=NOW, max_skew=300
    )
    assert next(iter(collapsed.by_tag.values())).count == 266


def test_upper_and_lower_case_hex_of_one_tag_are_one_aggregate():
    collapsed = collapse(
        [Read(TRUCK_TAG, 1, -50, NOW), Read(TRUCK_TAG.lower().upper(), 2, -40, NOW)], received_at=NOW, max_skew=300
    )
    assert len(collapsed.by_tag) == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-400, 400)), max_size=40), st.integers(1, 120))
def test_passes_split_a_batch_only_where_no_read_was_taken_for_longer_than_the_gap(offsets, gap):
    reads = [
        Read(f"30{i:02X}", 1, None, None if o is None else NOW + timedelta(seconds=o)) for i, o in enumerate(offsets)
    ]
    split = passes(reads, received_at=NOW, max_skew=300, gap=gap)
    assert sorted(r.epc for group in split for r in group) == sorted(r.epc for r in reads)  # nothing lost

    def at(read):  # the time collapse takes: the receive time for none or one off by more than the skew
        return read.time if read.time is not None and abs((read.time - NOW).total_seconds()) <= 300 else NOW

    for group in split:
        times = [at(r) for r in group]
        assert times == sorted(times) and all((b - a).total_seconds() <= gap for a, b in pairwise(times))
    for before, after in pairwise(split):
        assert (at(after[0]) - at(before[-1])).total_seconds() > gap
