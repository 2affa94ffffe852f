"""Every China manifest-family type the translation layer reads is lodged by the gateway: read, named, sent, answered.

The fixtures are the translation layer's (tests/fixtures/customs/china-manifest/, written by us from
the published structures; SOURCES.md). Each is submitted by the party its SenderID names.
"""

import pytest
from lxml import etree

from customs_gateway.exceptions import InvalidMessage
from customs_gateway.manifest_types import FUNCTIONS, TYPES
from customs_gateway.outbound import UnknownReference, dispatch, submit
from customs_gateway.records import read_submission
from tests.unit.customs_gateway.conftest import fixture

#: fixture -> (business reference, bills, containers)
LODGEMENTS = {
    "MT1201_air_original.xml": ("MT1201-CA1234", ["999-12345675", "999-12345686"], []),
    "MT2201_air_preallocated.xml": ("MT2201-CA1234", ["999-12345675", "999-12345686"], []),
    "MT3102_distribute_arrival.xml": (
        "MT3102-UN9321483-047E-LGHB2611001",
        ["LGHB2611001"],
        ["MSKU1234565", "TGHU7654320"],
    ),
    "MT3201_air_arrival.xml": ("MT3201-CA1234-999-12345675", ["999-12345675"], []),
    "MT3202_air_distribute_arrival.xml": ("MT3202-CA1234-999-12345675", ["999-12345675"], []),
    "MT4201_air_loading.xml": ("MT4201-CA1235-999-87654321", ["999-87654321"], []),
    "MT5201_air_tally.xml": ("MT5201-CA1234-999-12345675", ["999-12345675"], []),
    "MT5202_air_tally.xml": ("MT5202-CA1234-999-12345675", ["999-12345675"], []),
    "MT6101_distribution.xml": ("MT6101-UN9321483-047E-LGHB2611001", ["LGHB2611001"], []),
    "MT6102_dispatch.xml": ("MT6102-UN9321483-047E-LGHB2611001", ["LGHB2611001"], []),
    "MT6201_air_distribution.xml": ("MT6201-CA1234-999-12345675", ["999-12345675"], []),
    "MT6202_air_dispatch.xml": ("MT6202-CA1234-999-12345675", ["999-12345675"], []),
    "MT7101_packing_list.xml": ("MT7101-UN9321483-048W-OOLU1002005", ["LGHX2611001", "LGHX2611002"], ["OOLU1002005"]),
    "MT8101_change_port.xml": ("MT8101-UN9321483-047E-LGHB2611001", ["LGHB2611001"], []),
    "MT8102_off_load.xml": ("MT8102-UN9321483-048W-LGHX2611001", ["LGHX2611001"], []),
    "MT8103_change_after_off_load.xml": (
        "MT8103-UN9321483-048W-LGHX2611001",
        ["LGHX2611001", "LGHX2611901"],
        ["OOLU1002005"],
    ),
    "MT8104_change_transport.xml": ("MT8104-UN9321483-048W-LGHX2611001", ["LGHX2611001", "LGHX2611901"], []),
    "MT8105_transfer_check.xml": (
        "MT8105-LGHB2611001-LGHX2611777",
        ["LGHB2611001", "LGHX2611777"],
        ["CSQU3054383", "MSKU1234565"],
    ),
    "MT8201_air_change_port.xml": ("MT8201-CA1234-999-12345675", ["999-12345675"], []),
    "MT8202_air_off_load.xml": ("MT8202-CA1235-999-87654321", ["999-87654321"], []),
    "MT8203_air_change_after_off_load.xml": ("MT8203-CA1235-999-87654321", ["999-87654321", "999-87654332"], []),
    "MT8204_air_change_transport.xml": ("MT8204-CA1235-999-87654321", ["999-87654321", "999-87654332"], []),
    "MT8205_air_transfer_check.xml": ("MT8205-999-12345675-999-55555555", ["999-12345675", "999-55555555"], []),
    "MTECEX_empty_export.xml": ("MTECEX-UN9321483-048W-LGHE2611002", ["LGHE2611002"], []),
    "MTECIM_empty_import.xml": ("MTECIM-UN9321483-047E-LGHE2611001", ["LGHE2611001"], []),
}


def family(name: str) -> bytes:
    return fixture(f"china-manifest/{name}")


def sender_of(body: bytes) -> str:
    return etree.fromstring(body).findtext("{*}Head/{*}SenderID")


def party_for(body: bytes, role: str = "carrier"):
    from tracking.models import Party

    edi_id = sender_of(body)
    return Party.objects.get_or_create(edi_id=edi_id, defaults={"name": edi_id, "role": role})[0]


def test_every_type_the_translation_layer_reads_as_a_lodgement_is_one_the_gateway_takes():
    submitted = {name.split("_")[0] for name in LODGEMENTS} | {"MT1101", "MT2101", "MT3101", "MT4101", "MT5101"}
    assert set(TYPES) == submitted | {"MT5102"}
    assert FUNCTIONS["MT1201"] == ("9", "0", "5", "3") and FUNCTIONS["MT8102"] == ("2",)
    assert FUNCTIONS["MT7101"] == ("2", "3") and FUNCTIONS["MT6101"] == ("2", "3")


@pytest.mark.parametrize("name", sorted(LODGEMENTS))
def test_each_lodgement_is_read_into_its_reference_bills_and_containers(name):
    reference, bills, containers = LODGEMENTS[name]
    sub = read_submission(family(name))
    assert sub.business_reference == reference
    assert [b.number for b in sub.bills] == bills
    assert sorted(n for n in sub.containers if n) == sorted(containers)
    assert sub.manifest_reference.startswith(name.split("_")[0]) and sub.voyage


def test_a_packing_list_keeps_each_bill_in_its_container_and_a_change_moves_goods_to_its_new_bill():
    packed = read_submission(family("MT7101_packing_list.xml"))
    assert [b.containers for b in packed.bills] == [["OOLU1002005"], ["OOLU1002005"]]
    assert packed.containers == {"OOLU1002005": "22G1"}
    changed = read_submission(family("MT8103_change_after_off_load.xml"))
    moved_from, moved_to = changed.bills
    assert (moved_from.number, moved_from.containers) == ("LGHX2611001", [])
    assert (moved_to.number, moved_to.containers, moved_to.lines[0]["packages"]) == (
        "LGHX2611901",
        ["OOLU1002005"],
        400,
    )


@pytest.mark.parametrize("name", sorted(LODGEMENTS))
def test_each_lodgement_goes_to_the_authority_signed_and_its_receipt_accepts_it(sim, name):
    body = family(name)
    declaration = submit(party_for(body), body, actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == ("released" if name.startswith(("MT1201", "MT2201")) else "accepted")
    assert set(declaration.bills.values_list("state", flat=True)) <= {"accepted", "released"}
    out = declaration.messages.get(role="outbound")
    assert out.signature == "signed" and b"<ds:Signature" in sim_inner(bytes(out.body))
    answers = declaration.messages.filter(role="response")
    assert answers.exists() and set(answers.values_list("message_type", flat=True)) == {"MT9999"}


def sim_inner(body: bytes) -> bytes:
    """The business message a DXP envelope carries."""
    from customs_gateway import envelope
    from customs_gateway.records import parse

    _info, data, _keys = envelope.unwrap(parse(body))
    return data


def test_a_report_or_application_is_only_accepted_its_goods_never_released_by_it(sim):
    body = family("MT6101_distribution.xml")
    declaration = submit(party_for(body), body, actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    answers = [bytes(body) for body in declaration.messages.filter(role="response").values_list("body", flat=True)]
    assert declaration.state == "accepted" and len(answers) == 1
    assert b"<Code>12000</Code>" in sim_inner(answers[0])  # accepted, function code 2; no release follows


def test_a_rejected_receipt_names_its_reasons_and_a_corrected_lodgement_is_accepted(sim):
    body = family("MT7101_packing_list.xml")
    party = party_for(body)
    sim.rules.reject_first.add("MT7101-UN9321483-048W-OOLU1002005")
    declaration = submit(party, body, actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "rejected" and declaration.reasons
    corrected = body.replace(b"20261128080000000</MessageID>", b"20261128080000001</MessageID>")
    again = submit(party, corrected, actor="test")
    assert again.pk == declaration.pk and again.version == 2
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "accepted"


def deletion(body: bytes) -> bytes:
    body = body.replace(b"<FunctionCode>2</FunctionCode>", b"<FunctionCode>3</FunctionCode>")
    return body.replace(b"000</MessageID>", b"003</MessageID>")


@pytest.mark.parametrize("name", ["MT6101_distribution.xml", "MT3201_air_arrival.xml", "MT7101_packing_list.xml"])
def test_a_deletion_is_a_new_version_of_the_same_lodgement_and_the_authority_cancels_it(sim, name):
    body = family(name)
    party = party_for(body)
    declaration = submit(party, body, actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    deleted = submit(party, deletion(body), actor="test")
    assert (deleted.pk, deleted.version, deleted.function_code) == (declaration.pk, 2, "3")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "cancelled"


def test_a_voyages_arrival_reports_batch_by_batch_are_each_their_own_lodgement_and_deleted_alone(sim):
    first = fixture("MT3101_arrival.xml")
    second = first.replace(b"MSKU1234565", b"TGHU7654320").replace(b"0001</MessageID>", b"0002</MessageID>")
    party = party_for(first, role="terminal")
    lodged = [submit(party, body, actor="test") for body in (first, second)]
    assert [d.business_reference for d in lodged] == [
        "MT3101-UN9321483-047E-MSKU1234565",
        "MT3101-UN9321483-047E-TGHU7654320",
    ]
    for declaration in lodged:
        dispatch(declaration.pk)
    sim.deliver()
    assert [d.state for d in type(lodged[0]).objects.filter(pk__in=[d.pk for d in lodged])] == ["accepted"] * 2
    withdrawn = second.replace(b"<FunctionCode>2<", b"<FunctionCode>3<").replace(
        b"0002</MessageID>", b"0003</MessageID>"
    )
    deleted = submit(party, withdrawn, actor="test")
    assert (deleted.pk, deleted.version) == (lodged[1].pk, 2)
    dispatch(deleted.pk)
    sim.deliver()
    states = dict(type(deleted).objects.filter(pk__in=[d.pk for d in lodged]).values_list("pk", "state"))
    assert states == {lodged[0].pk: "accepted", lodged[1].pk: "cancelled"}


def test_a_deletion_of_nothing_lodged_is_refused_as_for_a_manifest(sim):
    body = deletion(family("MT6101_distribution.xml"))
    with pytest.raises(UnknownReference):
        submit(party_for(body), body, actor="test")


@pytest.mark.parametrize(
    ("name", "code"),
    [("MT8102_off_load.xml", "3"), ("MT8105_transfer_check.xml", "3"), ("MT6101_distribution.xml", "9")],
)
def test_a_function_code_the_type_has_no_definition_for_is_refused_naming_it(name, code):
    body = family(name).replace(b"<FunctionCode>2</FunctionCode>", f"<FunctionCode>{code}</FunctionCode>".encode())
    with pytest.raises(InvalidMessage) as caught:
        read_submission(body)
    assert caught.value.code == "function_code" and caught.value.position == {"path": "/Manifest/Head/FunctionCode"}
    assert name[:6] in caught.value.message and code in caught.value.message


def test_an_air_manifest_amendment_must_say_why_as_a_sea_manifests_does():
    body = family("MT1201_air_original.xml").replace(b"<FunctionCode>9<", b"<FunctionCode>5<")
    with pytest.raises(InvalidMessage) as caught:
        read_submission(body)
    assert caught.value.code == "required" and "ChangeReasonCode" in caught.value.message


def test_an_edifact_authority_is_not_sent_a_report_it_has_no_cuscar_for(sim):
    sim.message_format = "edifact"
    body = family("MT6101_distribution.xml")
    with pytest.raises(InvalidMessage) as caught:
        submit(party_for(body), body, actor="test")
    assert caught.value.code == "format" and "MT6101" in caught.value.message


def test_a_reports_receipt_names_its_bills_and_never_undoes_the_release_the_manifest_gave_its_containers(sim):
    from customs_gateway.clearance import gate_clearance
    from customs_gateway.models import AuditEntry
    from tracking.models import Event

    manifest = fixture("MT1101_original.xml")
    released = submit(party_for(manifest), manifest, actor="test")
    dispatch(released.pk)
    sim.deliver()
    assert gate_clearance(["MSKU1234565"])["MSKU1234565"].released
    report = family("MT3102_distribute_arrival.xml")  # the same container, gated in at the depot
    declaration = submit(party_for(report), report, actor="test")
    dispatch(declaration.pk)
    sim.deliver()
    declaration.refresh_from_db()
    assert declaration.state == "accepted"
    assert gate_clearance(["MSKU1234565"])["MSKU1234565"].released, "a receipt is no clearance decision"
    ids = [i for entry in AuditEntry.objects.filter(declaration=declaration) for i in entry.event_ids]
    events = [e.payload for e in Event.objects.filter(event_id__in=ids)]
    assert {e["customsEventTypeCode"] for e in events} >= {"DECL", "ACPT"}
    assert all("equipmentReference" not in e for e in events)
    assert all({"documentReferenceType": "TRD", "documentReferenceValue": "LGHB2611001"} in e["documentReferences"]
               for e in events)  # fmt: skip
