"""The translation document: one bad message never sinks the others, and each message keeps its own issues."""

from pathlib import Path

from edi.translate import translate_bytes, translate_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"


def test_each_defective_message_is_rejected_with_its_code_and_position_and_the_good_one_mapped():
    document = translate_file(FIXTURES / "malformed" / "iftsta_d00b_logihub_mixed_defects.edi")
    found = [
        (
            m["reference"],
            m["status"],
            [(e["code"], e["position"]["segment"], e["position"]["tag"]) for e in m["errors"]],
        )
        for m in document["messages"]
    ]
    assert found == [
        ("1", "accepted", []),
        ("2", "rejected", [("29", 19, "UNT")]),  # UNT+12 for 10 segments
        ("3", "rejected", [("15", 24, "DTM")]),  # a DTM before the STS that opens the status group
        ("4", "rejected", [("28", 37, "UNT")]),  # UNT reference 5 for UNH 4
    ]
    assert [(e["equipmentReference"], e["source"]["messageReference"]) for e in document["events"]] == [
        ("CMAU1002002", "1")
    ]


def interchange(*messages: str) -> bytes:
    body = "".join(messages)
    return f"UNB+UNOA:2+TERM:ZZZ+LH:ZZZ+240315:0612+9'{body}UNZ+{len(messages)}+9'".encode()


def codeco(container: str) -> str:
    segments = [
        "UNH+1+CODECO:D:95B:UN'",
        "BGM+34+G1+9'",
        "NAD+MS+TERM:160:ZZZ'",
        f"EQD+CN+{container}+45G1:102:5++2+5'",
        "DTM+7:202403141200:203'",
        "CNT+16:1'",
    ]
    return "".join(segments) + f"UNT+{len(segments) + 1}+1'"


def test_messages_that_share_a_reference_are_each_mapped_and_keep_their_own_warnings():
    # partners that number every message of an interchange 1: a warning (26), not a lost message
    document = translate_bytes(interchange(codeco("MSKU7070705"), codeco("MSKU7070704")))
    first, second = document["messages"]
    assert (first["status"], second["status"]) == ("accepted_with_warnings", "accepted_with_warnings")
    assert [w["code"] for w in first["warnings"]] == ["12"] and "check digit" in first["warnings"][0]["message"]
    assert [w["code"] for w in second["warnings"]] == ["26"]  # the first's check digit is not put on the second
    assert [e["equipmentReference"] for e in document["events"]] == ["MSKU7070705", "MSKU7070704"]


def test_a_message_whose_mapping_has_something_to_say_is_accepted_with_warnings_not_plainly_accepted():
    # valid by the directory, but its container's check digit is wrong: the status says there is more to read
    document = translate_bytes(interchange(codeco("MSKU7070705")))
    [message] = document["messages"]
    assert message["status"] == "accepted_with_warnings" and [w["code"] for w in message["warnings"]] == ["12"]
    clean = translate_bytes(interchange(codeco("MSKU7070704")))["messages"][0]
    assert (clean["status"], clean["warnings"]) == ("accepted", [])


def test_each_event_names_the_document_it_was_reported_in_and_its_function():
    # what a partner's tool (and a later replacement) needs to find the report a fact came from
    [original] = translate_bytes(interchange(codeco("MSKU7070704")))["events"]
    assert original["source"]["document"] == {"type": "CODECO", "number": "G1", "function": "9"}
    replacing = codeco("MSKU7070704").replace("BGM+34+G1+9'", "BGM+34+G1+5'")
    [replacement] = translate_bytes(interchange(replacing))["events"]
    assert replacement["source"]["document"]["function"] == "5"
    assert replacement["eventID"] == original["eventID"]  # the same fact, whichever message restates it
    unnumbered = codeco("MSKU7070704").replace("BGM+34+G1+9'", "BGM+34'")
    assert "document" not in translate_bytes(interchange(unnumbered))["events"][0]["source"]


def test_a_vessels_call_names_its_document_too():
    document = translate_file(FIXTURES / "coarri_d00b_logihub_discharge_and_loading.edi")
    calls = [e for e in document["events"] if e["eventType"] == "TRANSPORT"]
    assert calls and {e["source"]["document"]["type"] for e in calls} == {"COARRI"}


def test_what_the_envelope_was_read_past_is_said_in_the_document():
    # UNOY came with syntax version 4: read under version 3 all the same, and the document says so
    data = (
        "UNB+UNOY:3+CNCUSTOMS:ZZZ+LOGIHUB:ZZZ+261204:1630+CN0001'UNH+1+CUSRES:D:99B:UN'"
        "BGM+962+2226202600001234+9'DTM+137:202612041630:203'GIS+4:109:6'UNT+5+1'UNZ+1+CN0001'"
    )
    document = translate_bytes(data.encode())
    assert document["interchangeErrors"] == []
    assert [(w["code"], w["position"]["tag"]) for w in document["interchangeWarnings"]] == [("12", "UNB")]
    assert "syntax version 4 defines it so" in document["interchangeWarnings"][0]["message"]
    assert document["messages"][0]["status"] == "accepted"


def test_one_container_loaded_for_two_bills_is_one_load_that_names_both_bills():
    # a consolidation: each bill of lading its own CNI group, both in the same container, loaded once
    status = "STS+1+AE::ZZZ'RFF+BN:{bkg}'DTM+334:202612041415:203'LOC+175+CNSHA:139:6'EQD+CN+MSKU9070323+45G1'"
    data = (
        "UNB+UNOC:3+MAEU:ZZZ+LOGIHUB:ZZZ+261205:1800+LCL1'UNH+1+IFTSTA:D:99B:UN'BGM+23+LCL20261205+9'"
        "DTM+137:202612051800:203'CNI+1+MAEU261000001'"
        + status.format(bkg="BKG0001")
        + "CNI+2+MAEU261000002'"
        + status.format(bkg="BKG0002")
        + "UNT+16+1'UNZ+1+LCL1'"
    )
    document = translate_bytes(data.encode())
    (load,) = document["events"]
    assert [(r["documentReferenceType"], r["documentReferenceValue"]) for r in load["documentReferences"]] == [
        ("TRD", "MAEU261000001"),
        ("BKG", "BKG0001"),
        ("TRD", "MAEU261000002"),
        ("BKG", "BKG0002"),
    ]
