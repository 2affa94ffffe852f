"""``POST /api/v1/rfid/reads``: keys, gates, content types, limits, storms, retries and the answer shape."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test.utils import override_settings
from django.utils import timezone

from rfid.models import GateTransaction, Observation, Reader
from tests.unit.rfid.conftest import TRUCK_TAG, UNKNOWN_TAG, container, container_tag, reads
from tests.unit.rfid.test_parse import impinj

pytestmark = pytest.mark.django_db
URL = "/api/v1/rfid/reads"


def test_the_answer_has_exactly_the_fixed_shape(out_reader, post):
    _reader, key = out_reader
    body = post(URL, reads(UNKNOWN_TAG, at=timezone.now()), key).json()
    assert set(body) == {"decision", "reasons", "transaction", "equipment", "decidedIn_ms"}
    assert body["decision"] == "HOLD" and body["reasons"][0]["code"] == "UNKNOWN_TAG"
    assert isinstance(body["decidedIn_ms"], float) and body["transaction"]


def test_without_a_key_it_is_401_in_the_error_shape(post):
    response = post(URL, reads(TRUCK_TAG), None)
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "position"}


def test_a_wrong_key_is_401(post, out_reader):
    assert post(URL, reads(TRUCK_TAG), "lh_abc.def").status_code == 401


def test_a_partner_key_is_403(post, party_key):
    assert post(URL, reads(TRUCK_TAG), party_key).status_code == 403


def test_a_reader_naming_another_reader_is_403(out_reader, make_reader, post):
    make_reader("GATE2-IN", gate="GATE2", direction="in", bonded=False)
    _reader, key = out_reader
    response = post(URL, reads(TRUCK_TAG, reader="GATE2-IN"), key)
    assert response.status_code == 403 and response.json()["error"]["position"] == "$.reader"


def test_a_reader_posting_to_a_gate_it_is_not_bound_to_is_403(out_reader, post):
    _reader, key = out_reader
    doc = {**reads(TRUCK_TAG), "gate": "GATE9"}
    assert post(URL, doc, key).status_code == 403
    assert post(URL, [impinj(TRUCK_TAG)], key, gate="GATE9").status_code == 403
    assert Observation.objects.count() == 0


def test_non_json_is_415(out_reader, post):
    _reader, key = out_reader
    response = post(URL, b"epc=30AB", key, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_media_type"
    assert post(URL, b"<reads/>", key, content_type="application/xml").status_code == 415


def test_more_reads_than_allowed_is_413(out_reader, post):
    _reader, key = out_reader
    with override_settings(RFID_MAX_READS_PER_POST=10):
        assert post(URL, {"reader": "GATE1-OUT-L1", "reads": [{"epc": "30AB"}] * 11}, key).status_code == 413


def test_an_oversized_body_is_413_before_parsing(out_reader, post):
    _reader, key = out_reader
    with override_settings(RFID_MAX_BODY_BYTES=1000):
        assert post(URL, b" " * 2000, key).status_code == 413


def test_a_malformed_read_is_400_with_its_json_path(out_reader, post):
    _reader, key = out_reader
    response = post(URL, {"reader": "GATE1-OUT-L1", "reads": [{"epc": "30AB"}, {"epc": "nothex"}]}, key)
    assert response.status_code == 400
    assert response.json()["error"]["position"] == "$.reads[1].epc"


def test_a_truncated_body_is_400(out_reader, post):
    _reader, key = out_reader
    assert post(URL, json.dumps(reads(TRUCK_TAG)).encode()[:-7], key).status_code == 400


def test_a_storm_of_500_reads_from_4_antennas_in_a_second_is_one_observation(out_reader, post, bind):
    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    start = timezone.now()
    storm = [
        {
            "epc": TRUCK_TAG,
            "antenna": 1 + i % 4,
            "rssi": -70 + i % 20,
            "time": (start + timedelta(milliseconds=2 * i)).isoformat(),
        }
        for i in range(500)
    ]
    response = post(URL, {"reader": "GATE1-OUT-L1", "reads": storm}, key)
    assert response.json()["decision"] == "OPEN"
    (obs,) = Observation.objects.all()
    assert (obs.count, obs.antennas, obs.best_rssi, obs.scheme) == (500, [1, 2, 3, 4], -51.0, "sgtin")


def test_reads_of_one_pass_over_several_posts_are_one_observation_and_one_transaction(out_reader, post, bind):
    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    start = timezone.now() - timedelta(seconds=20)
    answers = [post(URL, reads(TRUCK_TAG, at=start + timedelta(seconds=s)), key).json() for s in (0, 4, 2, 8)]
    assert len({a["transaction"] for a in answers}) == 1
    (obs,) = Observation.objects.all()
    assert (obs.count, obs.first_seen, obs.last_seen) == (4, start, start + timedelta(seconds=8))


def test_a_tag_seen_again_after_the_windows_is_a_new_observation_and_transaction(out_reader, post, bind):
    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    start = timezone.now() - timedelta(seconds=200)
    first = post(URL, reads(TRUCK_TAG, at=start), key).json()
    second = post(URL, reads(TRUCK_TAG, at=start + timedelta(seconds=150)), key).json()
    assert first["transaction"] != second["transaction"]
    assert Observation.objects.count() == 2 and GateTransaction.objects.count() == 2


def test_a_retried_post_doubles_no_event(out_reader, post, bind, set_customs):
    from tracking.models import Event

    _reader, key = out_reader
    number = container("BOLU", "123456")
    set_customs(number, "RLSD")
    bind(TRUCK_TAG, "truck", "沪A12345")
    doc = reads(TRUCK_TAG, container_tag(number), at=timezone.now())
    first = post(URL, doc, key).json()
    again = post(URL, doc, key).json()
    assert first["transaction"] == again["transaction"] and again["decision"] == "OPEN"
    assert Event.objects.filter(equipment_reference=number).count() == 1


def test_a_retried_post_is_answered_again_but_its_reads_are_counted_once(out_reader, post, bind):
    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    start = timezone.now() - timedelta(seconds=10)
    doc = reads(TRUCK_TAG, TRUCK_TAG, at=start)
    first = post(URL, doc, key).json()
    again = post(URL, doc, key).json()
    assert again["transaction"] == first["transaction"] and again["decision"] == first["decision"]
    assert list(Observation.objects.values_list("count", flat=True)) == [2]
    later = post(URL, reads(TRUCK_TAG, at=start + timedelta(seconds=1)), key).json()  # new reads count
    assert later["transaction"] == first["transaction"]
    assert list(Observation.objects.values_list("count", flat=True)) == [3]


def test_reads_without_a_reader_time_posted_again_keep_their_pass_going(out_reader, post, bind, monkeypatch):
    from rfid import services

    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    doc = {"reader": "GATE1-OUT-L1", "reads": [{"epc": TRUCK_TAG, "antenna": 1, "rssi": -50}]}
    start = timezone.now()
    answers = []
    for seconds in (0, 25, 50, 75):  # a truck waiting at the barrier; the reader has no clock
        monkeypatch.setattr(services.timezone, "now", lambda s=seconds: start + timedelta(seconds=s))
        answers.append(post(URL, doc, key).json()["transaction"])
    assert len(set(answers)) == 1 and GateTransaction.objects.count() == 1
    (row,) = Observation.objects.all()
    assert row.count == 4 and (row.last_seen - row.first_seen).total_seconds() == 75


def test_a_retry_serialised_anew_is_still_the_same_post(out_reader, post, bind):
    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    doc = reads(TRUCK_TAG, TRUCK_TAG, at=timezone.now() - timedelta(seconds=10))
    first = post(URL, doc, key).json()
    # another key order, spacing and number format, the reads in another order: the same reads
    again = {"reads": [dict(reversed(list(r.items()))) | {"rssi": int(r["rssi"])} for r in doc["reads"][::-1]]}
    again["reader"] = doc["reader"]
    answer = post(URL, json.dumps(again, indent=2).encode(), key).json()
    assert answer["transaction"] == first["transaction"]
    assert list(Observation.objects.values_list("count", flat=True)) == [2]


def test_readers_clock_far_off_is_taken_at_receipt(out_reader, post, bind):
    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    before = timezone.now()
    post(URL, reads(TRUCK_TAG, at=before + timedelta(days=400)), key)
    obs = Observation.objects.get()
    assert before <= obs.first_seen <= timezone.now()


def test_reads_from_antenna_ports_not_in_use_are_dropped(out_reader, post):
    reader, key = out_reader
    Reader.objects.filter(pk=reader.pk).update(antenna_ports=[1, 2])
    body = post(URL, reads(UNKNOWN_TAG, antenna=4, at=timezone.now()), key).json()
    assert body["decision"] == "HOLD" and body["reasons"][0]["code"] == "NO_TAGS" and body["transaction"] is None
    assert Observation.objects.count() == 0


def test_impinj_json_lines_and_zebra_batches_are_answered_too(out_reader, post, bind):
    _reader, key = out_reader
    bind(TRUCK_TAG, "truck", "沪A12345")
    now = timezone.now().isoformat()
    lines = "\n".join(json.dumps(impinj(TRUCK_TAG, port=p, when=now)) for p in (1, 2, 3)).encode()
    assert post(URL, lines, key, content_type="application/x-ndjson").json()["decision"] == "OPEN"
    zebra = [
        {
            "type": "SIMPLE",
            "timestamp": now,
            "data": {"idHex": TRUCK_TAG, "antenna": 4, "peakRssi": -40, "eventNum": 1, "format": "epc", "reads": 3},
        }
    ]
    assert post(URL, zebra, key).json()["decision"] == "OPEN"
    assert Observation.objects.get().count == 6


def test_posting_reads_marks_the_reader_alive(out_reader, post):
    reader, key = out_reader
    post(URL, reads(UNKNOWN_TAG, at=timezone.now()), key)
    reader.refresh_from_db()
    assert reader.last_seen_at is not None and not reader.silent


def test_a_readers_key_check_is_kept_briefly_and_a_revoked_key_stops_at_once(out_reader, post):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tracking.apikeys import revoke
    from tracking.models import ApiKey

    reader, key = out_reader
    assert post(URL, reads(UNKNOWN_TAG, at=timezone.now()), key).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert post(URL, reads(UNKNOWN_TAG, at=timezone.now()), key).status_code == 200
    assert not any("tracking_apikey" in q["sql"] for q in queries)
    revoke(ApiKey.objects.get(reader=reader))
    assert post(URL, reads(UNKNOWN_TAG, at=timezone.now()), key).status_code == 401


def test_a_batch_with_a_bad_tag_is_answered_holding_and_keeps_its_good_reads(out_reader, post, bind, set_customs):
    _reader, key = out_reader
    number = container("BOLU", "123456")
    set_customs(number, "RLSD")
    bind(TRUCK_TAG, "truck", "沪A12345")
    now = timezone.now().isoformat()
    tags = [{"EPCid": TRUCK_TAG, "peakRssi": -40}, {"EPCid": "", "peakRssi": -70}, {"EPCid": container_tag(number)}]
    batch = [{"type": "BALANCED_PERFORMANCE", "timestamp": now, "data": {"tagData": tags}}]
    body = post(URL, batch, key).json()
    assert body["decision"] == "HOLD" and body["equipment"][0]["equipmentReference"] == number
    assert [(r["code"], r["position"]) for r in body["reasons"]] == [("BAD_READ", "$[0].data.tagData[1].EPCid")]
    assert Observation.objects.count() == 2
    del tags[1]  # the reader reads the pass again without the blank tag: it opens, one pass
    again = post(URL, batch, key).json()
    assert (again["decision"], again["transaction"]) == ("OPEN", body["transaction"])
    only_bad = [{"timestamp": now, "data": {"tagData": [{"EPCid": "ABC"}]}}]
    assert post(URL, only_bad, key).json()["error"]["position"] == "$[0].data.tagData[0].EPCid"


def test_a_buffered_batch_of_two_trucks_is_two_passes_answered_for_the_later(out_reader, post, bind, set_customs):
    from tracking.models import Event

    _reader, key = out_reader
    other_truck = "3074257BF7194E4000001A86"
    first_box, second_box = container("BOLU", "123456"), container("BOLU", "654321")
    set_customs(first_box, "RLSD")
    bind(TRUCK_TAG, "truck", "沪A12345")
    bind(other_truck, "truck", "沪B54321")
    start = timezone.now() - timedelta(seconds=150)
    doc = reads(TRUCK_TAG, container_tag(first_box), at=start)  # the reader was cut off: both trucks in one post
    doc["reads"] += reads(other_truck, container_tag(second_box), at=start + timedelta(seconds=120))["reads"]
    body = post(URL, doc, key).json()
    assert body["decision"] == "HOLD"
    assert [e["equipmentReference"] for e in body["equipment"]] == [second_box]
    passed, waiting = GateTransaction.objects.order_by("started_at")
    assert (passed.decision, passed.equipment[0]["equipmentReference"]) == ("OPEN", first_box)
    assert str(waiting.id) == body["transaction"] and waiting.started_at == start + timedelta(seconds=120)
    assert list(Event.objects.values_list("equipment_reference", flat=True)) == [first_box]
    again = post(URL, doc, key).json()  # the retry: the same two passes, counted once
    assert again["transaction"] == body["transaction"] and GateTransaction.objects.count() == 2
    assert sorted(Observation.objects.values_list("count", flat=True)) == [1, 1, 1, 1]
