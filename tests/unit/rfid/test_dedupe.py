"""Collapsing reads: read storms, out-of-order times, clock skew, duplicate EPC encodings."""

from datetime import timedelta

from rfid.dedupe import collapse
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
