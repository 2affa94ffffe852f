"""``POST /api/v1/edi/inbound`` and ``GET /api/v1/edi/messages/{id}``: stored first, clear refusals."""

import hashlib

import pytest

from edi.models import MessageState, RawMessage
from tracking.apikeys import issue_key
from tracking.models import Party

pytestmark = pytest.mark.django_db

CODECO = (
    "UNA:+.? '"
    "UNB+UNOA:2+TESTCARRIER+LOGIHUB+261125:0800+CTRL0001++++1'"
    "UNH+1+CODECO:D:95B:UN:ITG13'"
    "BGM+34+GATEIN0001+9'"
    "NAD+CF+BLUEOCEAN:160:20'"
    "EQD+CN+MSKU1234565+45G1:102:5++2+5'"
    "CNT+16:1'"
    "UNT+6+1'"
    "UNZ+1+CTRL0001'"
).encode("ascii")


def post(client, body: bytes, key: str | None, content_type: str = "application/edifact"):
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return client.post("/api/v1/edi/inbound", data=body, content_type=content_type, **headers)


def test_a_message_is_stored_and_answered_202_with_its_id(api_client, party_key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, CODECO, party_key)
    assert response.status_code == 202, response.content
    body = response.json()
    stored = RawMessage.objects.get(pk=body["id"])
    assert bytes(stored.body) == CODECO
    assert stored.sha256 == hashlib.sha256(CODECO).hexdigest()
    assert (stored.sender, stored.control_reference, stored.channel) == ("TESTCARRIER", "CTRL0001", "http")
    assert body["duplicate"] is False


def test_processing_records_each_message_of_the_interchange(api_client, party_key, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message_id = post(api_client, CODECO, party_key).json()["id"]
    detail = api_client.get(f"/api/v1/edi/messages/{message_id}", HTTP_AUTHORIZATION=f"Api-Key {party_key}").json()
    assert detail["state"] in (MessageState.PROCESSED, MessageState.PARTIAL, MessageState.REJECTED)
    assert [(m["type"], m["reference"]) for m in detail["messages"]] == [("CODECO", "1")]


def test_a_repeated_interchange_is_answered_as_a_duplicate(api_client, party_key):
    first = post(api_client, CODECO, party_key).json()
    again = post(api_client, CODECO, party_key).json()
    assert again["duplicate"] is True and again["duplicateOf"] == first["id"]
    assert RawMessage.objects.get(pk=again["id"]).state == MessageState.DUPLICATE


def test_the_same_control_reference_with_other_bytes_is_a_duplicate(api_client, party_key):
    post(api_client, CODECO, party_key)
    changed = CODECO.replace(b"GATEIN0001", b"GATEIN0002")
    assert post(api_client, changed, party_key).json()["duplicate"] is True


def test_a_message_from_another_sender_is_refused_and_recorded(api_client, db):
    other = Party.objects.create(name="Other", edi_id="OTHERCARRIER", role="carrier")
    _key, clear = issue_key(party=other)
    response = post(api_client, CODECO, clear)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "WRONG_SENDER"
    refused = RawMessage.objects.get()
    assert refused.state == MessageState.REFUSED and refused.party == other


@pytest.mark.parametrize(
    "body",
    [b"", b"   \r\n", b"\x00" * 64, bytes(range(256)) * 4, b"hello world, this is not EDI", b"\xff\xfe\x00U\x00N\x00B"],
    ids=["empty", "blank", "nul", "binary", "text", "utf16"],
)
def test_what_cannot_be_a_message_gets_400_with_a_clear_error(api_client, party_key, body):
    response = post(api_client, body, party_key)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] and error["message"]


def test_the_next_good_message_goes_through_after_garbage(api_client, party_key):
    post(api_client, b"\x00garbage", party_key)
    assert post(api_client, CODECO, party_key).status_code == 202


def test_a_message_over_the_size_limit_gets_413(api_client, party_key, settings):
    settings.EDI_MAX_MESSAGE_BYTES = 100
    response = post(api_client, CODECO, party_key)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "TOO_LARGE"


def test_a_json_body_gets_415(api_client, party_key):
    response = post(api_client, b'{"a": 1}', party_key, content_type="application/json")
    assert response.status_code == 415


def test_without_a_key_the_answer_is_401(api_client):
    assert post(api_client, CODECO, None).status_code == 401


def test_a_reader_key_may_not_send_messages(api_client, db):
    from rfid.services import add_reader

    _reader, key = add_reader("R9", gate="G", direction="in")
    response = post(api_client, CODECO, key)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_partner"


def test_xml_with_a_doctype_is_refused_without_expanding_entities(api_client, party_key):
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Manifest>&lol2;</Manifest>'
    response = post(api_client, bomb, party_key, content_type="application/xml")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "XML_DTD"


def test_xml_that_is_not_well_formed_names_its_line(api_client, party_key):
    response = post(api_client, b"<Manifest>\n<Head>\n</Manifest>", party_key, content_type="application/xml")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "XML_SYNTAX" and error["position"]["line"] == 3


def test_an_xml_manifest_from_another_sender_is_refused(api_client, party_key):
    xml = b"<Manifest><Head><MessageID>M1</MessageID><SenderID>SOMEONEELSE</SenderID></Head></Manifest>"
    response = post(api_client, xml, party_key, content_type="application/xml")
    assert response.status_code == 403


def test_another_party_cannot_read_my_message(api_client, party_key, db):
    message_id = post(api_client, CODECO, party_key).json()["id"]
    other = Party.objects.create(name="Other", edi_id="OTHER2", role="carrier")
    _key, clear = issue_key(party=other)
    response = api_client.get(f"/api/v1/edi/messages/{message_id}", HTTP_AUTHORIZATION=f"Api-Key {clear}")
    assert response.status_code == 404


def test_an_unknown_message_id_is_404(api_client, party_key):
    response = api_client.get(
        "/api/v1/edi/messages/00000000-0000-0000-0000-000000000000", HTTP_AUTHORIZATION=f"Api-Key {party_key}"
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_contrl_asked_for_in_unb_is_fetchable_as_the_acknowledgement(
    api_client, party_key, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_id = post(api_client, CODECO, party_key).json()["id"]
    response = api_client.get(f"/api/v1/edi/messages/{message_id}/ack", HTTP_AUTHORIZATION=f"Api-Key {party_key}")
    assert response.status_code == 200
    contrl = response.content.decode()
    assert "UNH+1+CONTRL" in contrl
    assert "+LOGIHUB+TESTCARRIER+" in contrl  # sender and recipient swapped
    assert "UCI+CTRL0001+TESTCARRIER" in contrl


def test_no_acknowledgement_is_a_clear_404(api_client, party_key):
    body = CODECO.replace(b"++++1'", b"'")  # no acknowledgement requested, nothing rejected
    message_id = post(api_client, body, party_key).json()["id"]
    response = api_client.get(f"/api/v1/edi/messages/{message_id}/ack", HTTP_AUTHORIZATION=f"Api-Key {party_key}")
    assert response.status_code == 404


def test_a_processed_codeco_puts_its_gate_in_into_the_tracking_store(
    api_client, party_key, django_capture_on_commit_callbacks
):
    from tracking.models import Event

    with django_capture_on_commit_callbacks(execute=True):
        message_id = post(api_client, CODECO, party_key).json()["id"]
    detail = api_client.get(f"/api/v1/edi/messages/{message_id}", HTTP_AUTHORIZATION=f"Api-Key {party_key}").json()
    [event_id] = detail["events"]
    stored = Event.objects.get(pk=event_id)
    assert (stored.type_code, stored.equipment_reference) == ("GTIN", "MSKU1234565")
    assert stored.payload["source"]["rawMessage"] == message_id
    assert stored.payload["source"]["position"]["tag"] == "EQD"


def test_a_bad_check_digit_is_answered_with_an_aperak(api_client, party_key, django_capture_on_commit_callbacks):
    body = CODECO.replace(b"MSKU1234565", b"MSKU1234566").replace(b"CTRL0001", b"CTRL0002")
    with django_capture_on_commit_callbacks(execute=True):
        message_id = post(api_client, body, party_key).json()["id"]
    response = api_client.get(
        f"/api/v1/edi/messages/{message_id}/ack", {"type": "APERAK"}, HTTP_AUTHORIZATION=f"Api-Key {party_key}"
    )
    assert response.status_code == 200
    aperak = response.content.decode()
    assert "UNH+1+APERAK" in aperak and "MSKU1234566" in aperak
    assert response["X-Acknowledgement-Type"] == "APERAK"


def test_an_acknowledgement_is_served_in_the_repertoire_its_unb_declares(
    api_client, party_key, django_capture_on_commit_callbacks
):
    from edi.validate import validate_interchange

    # UNOC is ISO 8859-1: the CONTRL echoes the control reference byte for byte, not as UTF-8
    body = CODECO.replace(b"UNOA:2", b"UNOC:3").replace(b"CTRL0001", "CTRL\u00dc001".encode("latin-1"))
    with django_capture_on_commit_callbacks(execute=True):
        message_id = post(api_client, body, party_key).json()["id"]
    response = api_client.get(f"/api/v1/edi/messages/{message_id}/ack", HTTP_AUTHORIZATION=f"Api-Key {party_key}")
    assert response["Content-Type"] == "application/edifact; charset=ISO-8859-1"
    assert b"UCI+CTRL\xdc001+TESTCARRIER" in response.content
    assert validate_interchange(response.content).errors == []


def test_each_messages_aperak_is_fetchable_by_the_reference_it_answers(
    api_client, party_key, django_capture_on_commit_callbacks
):
    message = CODECO.split(b"UNH+")[1].split(b"UNZ+")[0]  # "1+CODECO...UNT+6+1'", check digit 5 is right
    first = b"UNH+" + message.replace(b"MSKU1234565", b"MSKU1234566")
    second = b"UNH+2" + message[1:].replace(b"+6+1'", b"+6+2'").replace(b"MSKU1234565", b"TGHU7654321")
    body = CODECO.split(b"UNH+")[0] + first + second + b"UNZ+2+CTRL0001'"
    with django_capture_on_commit_callbacks(execute=True):
        message_id = post(api_client, body, party_key).json()["id"]
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {party_key}"}
    url = f"/api/v1/edi/messages/{message_id}/ack"
    for reference, container in (("1", b"MSKU1234566"), ("2", b"TGHU7654321")):
        response = api_client.get(url, {"type": "APERAK", "answers": reference}, **auth)
        assert response.status_code == 200 and container in response.content
        assert f"RFF+ACW:{reference}'".encode() in response.content
    assert api_client.get(url, {"type": "APERAK", "answers": "3"}, **auth).status_code == 404
