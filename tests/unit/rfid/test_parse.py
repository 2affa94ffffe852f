"""The read payload parsers: generic, Impinj R700 IoT device interface, Zebra FX IoT Connector.

There is no Impinj R700 ``tagInventoryEvent`` data file among the stored standards
(``shared/standards/rfid/SOURCES.md``, "Notes / gaps"), so the Impinj payloads below are written
by hand from the field names of Impinj's published IoT device interface documentation (event
``timestamp``, ``hostname``, ``eventType: "tagInventory"``, ``tagInventoryEvent`` with ``epc``
(base64), ``epcHex``, ``antennaPort``, ``antennaName``, ``peakRssiCdbm``, ``frequency``,
``transmitPowerCdbm``, ``lastSeenTime``). The Zebra payloads follow the IoT Connector event
schemas and examples in ``shared/standards/rfid/zebra-iotc/``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rfid.exceptions import InvalidPayload, TooManyReads
from rfid.parse import parse_payload

ZEBRA_DIR = Path(__file__).resolve().parents[4] / "shared" / "standards" / "rfid" / "zebra-iotc"
if not ZEBRA_DIR.is_dir():
    ZEBRA_DIR = Path("/work/shared/standards/rfid/zebra-iotc")


def parse(doc, limit: int = 5000):
    body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return parse_payload(body, limit=limit)


def impinj(epc_hex: str, port: int = 1, cdbm: int = -5350, when: str = "2026-11-25T08:00:00.120Z") -> dict:
    return {
        "timestamp": when,
        "hostname": "impinj-14-46-36",
        "eventType": "tagInventory",
        "tagInventoryEvent": {
            "epc": base64.b64encode(bytes.fromhex(epc_hex)).decode(),
            "epcHex": epc_hex,
            "antennaPort": port,
            "antennaName": f"Antenna {port}",
            "peakRssiCdbm": cdbm,
            "frequency": 920750,
            "transmitPowerCdbm": 3000,
            "lastSeenTime": when,
        },
    }


def test_generic_shape_gives_each_read_with_its_time_antenna_and_rssi():
    payload = parse(
        {"reader": "R1", "reads": [{"epc": "30ab", "antenna": 2, "rssi": -52.5, "time": "2026-11-25T08:00:00+08:00"}]}
    )
    (read,) = payload.reads
    assert (payload.shape, payload.reader, read.epc, read.antenna, read.rssi) == ("generic", "R1", "30AB", 2, -52.5)
    assert read.time.utcoffset().total_seconds() == 8 * 3600


def test_generic_read_without_time_is_taken_at_receipt():
    assert parse({"reader": "R1", "reads": [{"epc": "30AB"}]}).reads[0].time is None


def test_impinj_single_event_reads_epchex_port_and_rssi_in_centi_dbm():
    (read,) = parse(impinj("3074257BF7194E4000001A85", port=3, cdbm=-6125)).reads
    assert (read.epc, read.antenna, read.rssi) == ("3074257BF7194E4000001A85", 3, -61.25)


def test_impinj_event_with_only_base64_epc_is_decoded():
    event = impinj("3074257BF7194E4000001A85")
    del event["tagInventoryEvent"]["epcHex"]
    assert parse(event).reads[0].epc == "3074257BF7194E4000001A85"


def test_impinj_json_lines_stream_and_keepalives():
    lines = [
        json.dumps(impinj("30AA")),
        json.dumps({"timestamp": "2026-11-25T08:00:01Z", "eventType": "keepalive"}),
        json.dumps(impinj("30BB")),
    ]
    payload = parse("\n".join(lines).encode())
    assert [r.epc for r in payload.reads] == ["30AA", "30BB"] and payload.heartbeats == 1


def test_impinj_array_batch():
    assert len(parse([impinj("30AA"), impinj("30BB", port=2)]).reads) == 2


def test_zebra_fixed_reader_data_event_with_plus0000_offset_and_seen_count():
    event = {
        "type": "SIMPLE",
        "timestamp": "2026-11-25T08:00:00.153+0000",
        "data": {
            "eventNum": 7,
            "format": "epc",
            "idHex": "3005fb63ac1f3681ec880468",
            "antenna": 2,
            "peakRssi": -39,
            "reads": 12,
        },
    }
    (read,) = parse(event).reads
    assert (read.epc, read.antenna, read.rssi, read.count) == ("3005FB63AC1F3681EC880468", 2, -39.0, 12)


def test_zebra_handheld_example_batch_from_the_schema_file_parses():
    example = json.loads((ZEBRA_DIR / "dataEVT.json").read_text())["examples"][0]
    payload = parse(example)
    assert len(payload.reads) == len(example["data"]["tagData"])
    assert sum(r.count for r in payload.reads) == sum(t["seenCount"] for t in example["data"]["tagData"])


def test_zebra_heartbeat_is_not_a_read():
    payload = parse({"type": "heartbeat", "timestamp": "2026-11-25T08:00:00Z", "data": {"uptime": 10}})
    assert payload.reads == [] and payload.heartbeats == 1


def test_zebra_handheld_heartbeat_named_by_event_name_is_not_a_read_even_without_data():
    beat = {"eventName": "heartbeat", "timestamp": "2026-11-25T08:00:00Z", "eventNumber": 120}
    tags = {"timestamp": "2026-11-25T08:00:01Z", "data": {"tagData": [{"EPCid": "30AA", "peakRssi": -40}]}}
    payload = parse([beat, tags, {**beat, "upTime": "5 days 4hr 3min"}])
    assert [r.epc for r in payload.reads] == ["30AA"] and payload.heartbeats == 2


def test_a_bad_event_or_tag_in_a_batch_loses_none_of_the_good_ones():
    blank = {"timestamp": "2026-11-25T08:00:01Z", "data": {"tagData": [{"EPCid": "30BB"}, {"EPCid": ""}]}}
    payload = parse([impinj("30AA"), {"tagInventoryEvent": {"antennaPort": 1}}, blank, "noise"])
    assert [r.epc for r in payload.reads] == ["30AA", "30BB"]
    assert [e.position for e in payload.rejected] == [
        "$[1].tagInventoryEvent.epcHex",
        "$[2].data.tagData[1].EPCid",
        "$[3]",
    ]


def test_a_json_lines_stream_cut_mid_event_keeps_the_whole_events():
    lines = [json.dumps(impinj("30AA")), json.dumps(impinj("30BB")), json.dumps(impinj("30CC"))[:40]]
    payload = parse("\n".join(lines).encode())
    assert [r.epc for r in payload.reads] == ["30AA", "30BB"]
    assert [e.position for e in payload.rejected] == ["$[2]"]
    with pytest.raises(InvalidPayload) as caught:
        parse(b'{"eventType": "tagInv\n{"eventType"')
    assert caught.value.position == "$[0]"


def test_a_generic_post_with_a_bad_read_is_still_refused_whole():
    with pytest.raises(InvalidPayload):
        parse({"reader": "R1", "reads": [{"epc": "30AB"}, {"epc": ""}]})


@pytest.mark.parametrize(
    ("doc", "position"),
    [
        ({"reader": "R1", "reads": [{"epc": "XYZ"}]}, "$.reads[0].epc"),
        ({"reader": "R1", "reads": [{"epc": "30A"}]}, "$.reads[0].epc"),
        ({"reader": "R1", "reads": [{"epc": "30AB", "antenna": "1"}]}, "$.reads[0].antenna"),
        ({"reader": "R1", "reads": [{"epc": "30AB", "antenna": True}]}, "$.reads[0].antenna"),
        ({"reader": "R1", "reads": [{"epc": "30AB", "rssi": "strong"}]}, "$.reads[0].rssi"),
        ({"reader": "R1", "reads": [{"epc": "30AB", "time": "yesterday"}]}, "$.reads[0].time"),
        ({"reader": "R1", "reads": [{"epc": "30AB", "time": "2026-11-25T08:00:00"}]}, "$.reads[0].time"),
        ({"reader": "R1", "reads": [{"epc": "30AB"}, {"epc": "30AB", "antena": 1}]}, "$.reads[1].antena"),
        ({"reader": "R1", "reads": [5]}, "$.reads[0]"),
        ({"reader": "R1", "reads": []}, "$.reads"),
        ({"reader": "R1", "reads": {}}, "$.reads"),
        ({"reader": 7, "reads": [{"epc": "30AB"}]}, "$.reader"),
        ({"reader": "R1", "reads": [{"epc": "30AB"}], "extra": 1}, "$.extra"),
        (
            [{"tagInventoryEvent": {"antennaPort": 1}}, {"tagInventoryEvent": {"epcHex": "30A"}}],
            "$[0].tagInventoryEvent.epcHex",
        ),
        (
            {"type": "SIMPLE", "data": {"idHex": "30AA", "antenna": -1, "eventNum": 1, "format": "epc"}},
            "$.data.antenna",
        ),
        ({"hello": "world"}, "$"),
        ([], "$"),
    ],
)
def test_malformed_payloads_are_refused_with_their_json_path(doc, position):
    with pytest.raises(InvalidPayload) as caught:
        parse(doc)
    assert caught.value.position == position


@pytest.mark.parametrize(
    "body", [b"", b"{", b'{"reader": "R1", "reads": [{"epc": "30', b"\xff\xfe", b"null", b"[1,2", b'"reads"']
)
def test_truncated_or_non_json_bodies_are_invalid_payloads(body):
    with pytest.raises(InvalidPayload):
        parse_payload(body, limit=10)


def test_more_reads_than_the_limit_is_too_large():
    with pytest.raises(TooManyReads):
        parse({"reader": "R1", "reads": [{"epc": "30AB"}] * 11}, limit=10)
    with pytest.raises(TooManyReads):
        parse([impinj("30AA")] * 11, limit=10)


def test_deeply_nested_hostile_json_is_refused_not_crashing():
    with pytest.raises(InvalidPayload):
        parse_payload(b"[" * 100000 + b"]" * 100000, limit=10)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "reader",
                    "reads",
                    "epc",
                    "antenna",
                    "rssi",
                    "time",
                    "data",
                    "idHex",
                    "tagInventoryEvent",
                    "epcHex",
                    "type",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(JSON)
def test_any_json_is_either_parsed_or_refused_with_a_position(doc):
    try:
        payload = parse(doc)
    except (InvalidPayload, TooManyReads) as exc:
        assert exc.position is not None
    else:
        assert all(r.epc == r.epc.upper() and 0 <= r.antenna <= 65535 for r in payload.reads)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_either_parsed_or_refused(body):
    try:
        parse_payload(body, limit=50)
    except (InvalidPayload, TooManyReads):
        pass


READ = st.fixed_dictionaries(
    {
        "epc": st.binary(min_size=1, max_size=62).map(lambda b: b.hex()),
        "antenna": st.integers(0, 65535),
        "rssi": st.floats(-200, 50),
        "time": st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(READ, min_size=1, max_size=20))
def test_valid_generic_reads_round_trip(items):
    payload = parse({"reader": "R1", "reads": items})
    assert [r.epc for r in payload.reads] == [i["epc"].upper() for i in items]
    assert [r.antenna for r in payload.reads] == [i["antenna"] for i in items]


GOOD_EVENT = st.builds(
    lambda b, port: impinj(b.hex().upper(), port=port), st.binary(min_size=1, max_size=62), st.integers(0, 64)
)
BAD_EVENT = st.sampled_from(
    [
        {"tagInventoryEvent": {"epcHex": "ABC"}},
        {"tagInventoryEvent": {"epcHex": ""}},
        {"tagInventoryEvent": {"epcHex": "30AA", "antennaPort": -1}},
        {"timestamp": "2026-11-25T08:00:00Z", "data": {"idHex": "XYZ"}},
        {"timestamp": "yesterday", "data": {"idHex": "30AA"}},
        {"hello": "world"},
        [],
        7,
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.booleans(), GOOD_EVENT, BAD_EVENT), min_size=1, max_size=12))
def test_a_vendor_batch_keeps_every_good_read_and_names_every_bad_event(mix):
    batch = [good if keep else bad for keep, good, bad in mix]
    wanted = [good["tagInventoryEvent"]["epcHex"] for keep, good, _bad in mix if keep]
    bad_at = [f"$[{i}]" for i, (keep, _good, _bad) in enumerate(mix) if not keep]
    try:
        payload = parse(batch)
    except InvalidPayload as exc:
        assert not wanted and exc.position.startswith(bad_at[0])  # nothing good: refused, first error
    else:
        assert [r.epc for r in payload.reads] == wanted
        assert [e.position.split(".")[0] for e in payload.rejected] == bad_at
