"""``edi translate --format edifact|xml``: each event in the outbound message its partner expects, valid, and back."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree

from customs_gateway import schemas
from edi.customs_xml import translate_xml
from edi.emit.forms import outbound_form, outbound_type
from edi.exceptions import EdiError
from edi.map import map_interchange
from edi.translate import translate_file
from edi.validate import validate_interchange
from tests.unit.edi.test_emit_edifact import facts
from tracking.validation import problems_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
CUSCAR = (FIXTURES / "cuscar_d96b_logihub_manifest.edi").read_text()


def interchanges(text: str) -> list[str]:
    return [part for part in text.split("\n") if part]


def test_each_kind_of_event_has_its_outbound_message_type():
    def event(kind, code, *refs):
        refs = [{"documentReferenceType": r, "documentReferenceValue": "X"} for r in refs]
        return {"eventType": kind, kind.lower() + "EventTypeCode": code, "documentReferences": refs}

    assert [
        outbound_type(e)
        for e in (
            event("EQUIPMENT", "GTIN"),
            event("EQUIPMENT", "LOAD"),
            event("CUSTOMS", "DECL", "DEC"),
            event("CUSTOMS", "DECL", "MAN", "TRD"),
            event("CUSTOMS", "RLSD", "DEC"),
            event("TRANSPORT", "ARRI"),
        )
    ] == ["CODECO", "COARRI", "CUSDEC", "CUSCAR", "IFTSTA", "IFTSTA"]


def test_a_terminals_report_goes_out_as_coarri_and_its_vessel_arrival_as_iftsta(tmp_path):
    data = (
        "UNB+UNOC:3+ECT+LOGIHUB+261205:1000+1'UNH+1+COARRI:D:95B:UN:ITG13'BGM+46+L1+9'"
        "TDT+20+612E+1++MSK:172:20+++9321483:146:11:MAERSK ESSEN'LOC+9+NLRTM:139:6+ECT:TER:ZZZ'"
        "DTM+178:202612050600:203'DTM+133:202612052200:203'NAD+CF+MSK:172:20'"
        "EQD+CN+MSKU1234565+45G1:102:5++2+5'DTM+203:202612051000:203'CNT+16:1'UNT+11+1'UNZ+1+1'"
    )
    path = tmp_path / "coarri.edi"
    path.write_text(data)
    document = translate_file(path)
    text, notes = outbound_form(document, "edifact", sender="LOGIHUB", recipient="FWD1")
    coarri, iftsta = interchanges(text)
    assert "UNH+1+COARRI:D:00B:UN'" in coarri and "UNH+1+IFTSTA:D:00B:UN'" in iftsta
    assert notes == ["1 event(s) not written: IFTSTA reports actual events only"]  # the estimated departure
    back = []
    for part in (coarri, iftsta):
        assert validate_interchange(part.encode()).errors == []
        back += map_interchange(part.encode()).events
    actual = [e for e in document["events"] if e["eventClassifierCode"] == "ACT"]
    assert problems_of(back) == []
    assert sorted(e["eventID"] for e in back) == sorted(e["eventID"] for e in actual)


def test_a_declaration_goes_to_its_authority_as_cusdec():
    document = translate_file(FIXTURES / "cusdec_d96b_logihub_declaration.edi")
    text, notes = outbound_form(document, "edifact", sender="LOGIHUB", recipient="FWD1")
    assert notes == [] and "+LOGIHUB+CNSHACUSTOMS+" in text  # the authority the declaration was lodged with
    assert facts(map_interchange(text.encode()).events) == facts(document["events"])


def test_a_manifest_goes_out_as_cuscar_and_as_the_mt1101_family(tmp_path):
    path = tmp_path / "cuscar.edi"
    path.write_text(CUSCAR)
    assert validate_interchange(path).errors == []
    document = translate_file(path)
    bills = [e for e in document["events"] if e["eventType"] == "CUSTOMS"]
    assert len(bills) == 2 and bills[1]["equipmentReference"] == "TCLU9988775"

    text, _notes = outbound_form(document, "edifact", sender="LOGIHUB", recipient="X")
    cuscar = next(part for part in interchanges(text) if "CUSCAR" in part)
    assert validate_interchange(cuscar.encode()).errors == []
    assert facts([e for e in map_interchange(cuscar.encode()).events if e["eventType"] == "CUSTOMS"]) == facts(bills)

    xml, notes = outbound_form(document, "xml", sender="LOGIHUB", recipient="EPORT")
    root = etree.fromstring(xml.encode())
    schemas.validate(root, "MT1101.xsd")
    ns = {"m": schemas.MANIFEST_NS.format("MT1101")}
    assert root.findtext("m:Declaration/m:BorderTransportMeans/m:ID", namespaces=ns) == "UN9321483"
    assert root.findtext("m:Declaration/m:BorderTransportMeans/m:JourneyID", namespaces=ns) == "612E"
    assert [e.text for e in root.iterfind(".//m:TransportContractDocument/m:ID", ns)] == ["MAEU0001", "MAEU0002"]
    assert [e.text for e in root.iterfind(".//m:EquipmentIdentification/m:ID", ns)] == ["MSKU1234565"]
    assert notes == [
        "1 event(s) not written: not a bill of a manifest",  # the vessel's estimated arrival
        "containers without size-type or fullness left out of the manifest: TCLU9988775",
    ]


def test_the_command_writes_the_form_and_its_notes_on_standard_error(tmp_path):
    path = tmp_path / "cuscar.edi"
    path.write_text(CUSCAR)
    out, err = StringIO(), StringIO()
    call_command("edi", "translate", str(path), "--format", "xml", stdout=out, stderr=err)
    assert out.getvalue().startswith("<?xml") and "MT1101" in out.getvalue()
    assert "TCLU9988775" in err.getvalue()


MANIFEST_FAMILY = Path(__file__).resolve().parents[2] / "fixtures" / "customs" / "china-manifest"


def test_an_air_manifest_is_a_cargo_report_and_goes_out_as_cuscar():
    document = translate_file(MANIFEST_FAMILY / "MT1201_air_original.xml")
    text, notes = outbound_form(document, "edifact", sender="LOGIHUB", recipient="X")
    assert notes == [] and "UNH+1+CUSCAR:D:96B:UN'" in text and "BGM+85+MT1201-CA1234+9'" in text
    assert validate_interchange(text.encode()).errors == []
    back = [e for e in map_interchange(text.encode()).events if e["eventType"] == "CUSTOMS"]
    assert sorted(r["documentReferenceValue"] for e in back for r in e["documentReferences"]) == sorted(
        r["documentReferenceValue"] for e in document["events"] for r in e["documentReferences"]
    )


def test_an_arrival_reports_lodgement_is_said_to_have_no_edifact_form_and_its_gate_moves_still_go_out():
    document = translate_file(MANIFEST_FAMILY / "MT3102_distribute_arrival.xml")
    text, notes = outbound_form(document, "edifact", sender="LOGIHUB", recipient="X")
    assert "CUSCAR" not in text and "UNH+1+CODECO" in text
    assert len(notes) == 1 and notes[0].startswith("1 event(s) not written: MT3102 is a report or application")
    assert "CUSCAR carries manifests only" in notes[0]


@pytest.mark.parametrize(
    "name", ["MT7101_packing_list.xml", "MT6101_distribution.xml", "MT8102_off_load.xml", "MTECIM_empty_import.xml"]
)
def test_an_application_or_packing_list_alone_has_no_edifact_form_and_the_command_says_why(name):
    document = translate_file(MANIFEST_FAMILY / name)
    with pytest.raises(EdiError) as caught:
        outbound_form(document, "edifact", sender="LOGIHUB", recipient="X")
    assert caught.value.code == "NO_OUTBOUND_FORM"
    assert f"{name.split('_')[0]} is a report or application, no cargo report" in caught.value.message


def test_a_manifests_deletion_still_goes_out_as_a_cuscar_cancellation():
    body = (MANIFEST_FAMILY / "MT1201_air_original.xml").read_bytes().replace(b"<FunctionCode>9<", b"<FunctionCode>3<")
    document = translate_xml(body).document
    text, notes = outbound_form(document, "edifact", sender="LOGIHUB", recipient="X")
    assert notes == [] and "BGM+85+MT1201-CA1234+1'" in text
