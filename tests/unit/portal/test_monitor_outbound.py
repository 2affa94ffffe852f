"""The message monitor's outbound side: acknowledgements we sent and the gateway's messages to the authority."""

from pathlib import Path

import pytest

from customs_gateway.models import Message
from customs_gateway.outbound import dispatch, submit
from edi.processing import process
from edi.services import receive
from tests.unit.customs_gateway.conftest import carrier, manifest, sim  # noqa: F401 (fixtures)
from tracking.models import Party

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
BROKEN = (
    "UNB+UNOA:2+YSPIVTERM:ZZZ+LOGIHUB:ZZZ+261125:1010+BR0002'UNH+1+CODECO:D:95B:UN'"
    "BGM+34+X+9'EQD+CN+MSKU1234565'CNT+16:1'UNT+9+1'UNZ+1+BR0002'"
)


@pytest.fixture
def rejected(demo):
    party = Party.objects.get(edi_id="YSPIVTERM")
    message = receive(BROKEN.encode(), channel="http", party=party).message
    process(str(message.pk))
    message.refresh_from_db()
    assert message.outcome["acknowledgements"][0]["type"] == "CONTRL"
    return message


@pytest.fixture
def sent_to_customs(demo, carrier, sim):  # noqa: F811 (fixtures imported above)
    declaration = submit(carrier, manifest(), actor="test")
    sim.plan(declaration.business_reference, ["accept"])
    dispatch(declaration.pk)
    sim.deliver()
    return declaration


def _table(html: str) -> str:
    return html[html.index('id="messages"') : html.index("</table>", html.index('id="messages"'))]


def test_the_outbound_list_shows_the_contrl_we_sent_and_the_message_it_answers(client, operator, rejected):
    client.force_login(operator)
    table = _table(client.get("/portal/ops/messages/", {"direction": "out"}).content.decode())
    assert "CONTRL" in table and "Yangshan Phase IV Terminal" in table
    assert f"/portal/ops/messages/{rejected.pk}/ack/0/" in table  # the acknowledgement itself
    assert f'href="/portal/ops/messages/{rejected.pk}/">BR0002</a>' in table  # what it answers
    assert "Rejected" in table and "HTTP, fetched at /ack" in table


def test_the_inbound_row_links_the_acknowledgement_that_answered_it(client, operator, rejected):
    client.force_login(operator)
    table = _table(client.get("/portal/ops/messages/").content.decode())
    assert f'<a href="/portal/ops/messages/{rejected.pk}/ack/0/">CONTRL</a>' in table


def test_an_acknowledgement_page_shows_its_bytes_segments_and_the_answered_message(client, operator, rejected):
    client.force_login(operator)
    html = client.get(f"/portal/ops/messages/{rejected.pk}/ack/0/").content.decode()
    body = rejected.outcome["acknowledgements"][0]["body"]
    assert "CONTRL sent" in html
    assert '<th scope="row">UCI</th>' in html and '<th scope="row">UCM</th>' in html  # parsed
    assert body.split("'")[1].split("+")[0] in html and "UNH+" in html  # raw bytes
    assert f'href="/portal/ops/messages/{rejected.pk}/"' in html
    assert client.get(f"/portal/ops/messages/{rejected.pk}/ack/7/").status_code == 404


def test_outbound_filters_by_type_state_and_partner(client, operator, rejected):
    client.force_login(operator)
    url = f"/portal/ops/messages/{rejected.pk}/ack/0/"
    assert url in client.get("/portal/ops/messages/", {"direction": "out", "type": "CONTRL"}).content.decode()
    assert url not in client.get("/portal/ops/messages/", {"direction": "out", "type": "APERAK"}).content.decode()
    assert url not in client.get("/portal/ops/messages/", {"direction": "out", "state": "processed"}).content.decode()
    other = Party.objects.get(edi_id="BLUEOCEAN").pk
    assert url not in client.get("/portal/ops/messages/", {"direction": "out", "partner": other}).content.decode()
    mine = rejected.party_id
    assert url in client.get("/portal/ops/messages/", {"direction": "out", "partner": mine}).content.decode()


def test_the_gateways_message_to_the_authority_is_listed_with_its_state(client, operator, sent_to_customs):
    outbound = Message.objects.get(declaration=sent_to_customs, role="outbound")
    client.force_login(operator)
    table = _table(client.get("/portal/ops/messages/", {"direction": "out"}).content.decode())
    assert f"/portal/ops/customs/messages/{outbound.pk}/" in table
    assert "MT1101" in table and "Sent" in table and "Test Carrier" in table
    failed = client.get("/portal/ops/messages/", {"direction": "out", "state": "send_failed"}).content.decode()
    assert f"/portal/ops/customs/messages/{outbound.pk}/" not in failed


def test_the_customs_side_of_the_inbound_list_shows_submissions_and_answers(client, operator, sent_to_customs):
    client.force_login(operator)
    table = _table(client.get("/portal/ops/messages/").content.decode())
    for message in sent_to_customs.messages.filter(direction="in"):
        assert f"/portal/ops/customs/messages/{message.pk}/" in table
    assert "Submission from a broker or carrier" in table


def test_a_customs_message_page_opens_the_envelope_and_shows_the_declarations_thread(client, operator, sent_to_customs):
    outbound = Message.objects.get(declaration=sent_to_customs, role="outbound")
    client.force_login(operator)
    html = client.get(f"/portal/ops/customs/messages/{outbound.pk}/").content.decode()
    assert "DXP envelope" in html and "Business message carried" in html
    assert '<th scope="row" class="depth-1">DxpMsg' in html  # the envelope, parsed
    assert ">Manifest" in html or ">Declaration" in html  # the carried manifest, parsed
    assert "MT1101-UN9321483-047E" in html
    thread = html[html.index('id="thread"') :]
    for message in sent_to_customs.messages.all():
        assert f"/portal/ops/customs/messages/{message.pk}/" in thread
    assert 'aria-current="true"' in thread
    assert client.get("/portal/ops/customs/messages/999999/").status_code == 404


def test_the_outbound_list_costs_a_fixed_number_of_queries(
    client, operator, rejected, sent_to_customs, django_assert_num_queries
):
    client.force_login(operator)
    # session, user, acknowledgements, interchanges sent to subscribers, customs messages, their senders' names,
    # what they answer, partners, types
    with django_assert_num_queries(9):
        client.get("/portal/ops/messages/", {"direction": "out"})


def test_times_without_a_place_are_written_for_the_readers_clock(client, operator, rejected):
    client.force_login(operator)
    html = client.get("/portal/ops/messages/").content.decode()
    stamp = rejected.received_at.strftime("%Y-%m-%dT%H:%M:%S")
    assert f'<time datetime="{stamp}' in html and "data-local data-seconds>" in html
    assert "/static/portal/localtime.js" in html


def test_a_contrl_page_spells_out_what_it_tells_the_partner_and_where_it_waits(client, operator, rejected):
    client.force_login(operator)
    html = client.get(f"/portal/ops/messages/{rejected.pk}/ack/0/").content.decode()
    verdicts = html[html.index('id="verdicts"') : html.index("</table>", html.index('id="verdicts"'))]
    assert "Interchange" in verdicts and "BR0002" in verdicts
    assert "Message" in verdicts and "CODECO" in verdicts and "4 This level and all lower levels rejected" in verdicts
    assert f"<code>/api/v1/edi/messages/{rejected.pk}/ack</code>" in html


def test_customs_rows_say_what_they_answer_and_what_answered_them(client, operator, sent_to_customs):
    submission = Message.objects.get(declaration=sent_to_customs, role="submission")
    outbound = Message.objects.get(declaration=sent_to_customs, role="outbound")
    client.force_login(operator)
    inbound = _table(client.get("/portal/ops/messages/").content.decode())
    row = inbound[inbound.index(f"/portal/ops/customs/messages/{submission.pk}/") :]
    row = row[: row.index("</tr>")]
    assert "answered by" in row and f"/portal/ops/customs/messages/{outbound.pk}/" in row
    out = _table(client.get("/portal/ops/messages/", {"direction": "out"}).content.decode())
    row = out[out.index(f"/portal/ops/customs/messages/{outbound.pk}/") :]
    row = row[: row.index("</tr>")]
    assert "answers" in row and f"/portal/ops/customs/messages/{submission.pk}/" in row
    assert "bytes" in row or "KB" in row  # its size


def test_the_overview_counts_what_was_sent_per_hour_by_state(client, operator, rejected, sent_to_customs):
    from portal.operations import sent_flow

    flow = sent_flow()
    by_state = {s.label: sum(s.values) for s in flow.by_hour}
    assert by_state["Rejected"] == 1 and by_state["Sent"] == 1 and flow.total == 2
    client.force_login(operator)
    html = client.get("/portal/ops/").content.decode()
    assert "2 messages sent in the last 24 hours." in html and "Messages sent per hour" in html


def test_a_declaration_in_the_customs_list_opens_on_its_messages(client, operator, sent_to_customs):
    latest = sent_to_customs.messages.order_by("-id").first()
    client.force_login(operator)
    html = client.get("/portal/ops/customs/").content.decode()
    assert f'href="/portal/ops/customs/messages/{latest.pk}/#thread">{sent_to_customs.business_reference}</a>' in html
    assert 'aria-current="page">Customs declarations</a>' in html


def test_an_inbound_xml_message_is_taken_apart_as_an_outline(client, operator, demo):
    body = (Path(__file__).resolve().parents[2] / "fixtures" / "customs" / "MT1101_original.xml").read_bytes()
    message = receive(body, channel="http", party=None).message
    process(str(message.pk))
    client.force_login(operator)
    html = client.get(f"/portal/ops/messages/{message.pk}/").content.decode()
    outline = html[html.index('id="outline-title"') :]
    assert '<th scope="row" class="depth-1">Manifest' in outline
    assert "MT1101" in outline


def test_an_edifact_customs_message_is_taken_apart_into_segments(client, operator, demo):
    body = (FIXTURES / "cuscar_d96b_logihub_manifest.edi").read_bytes()
    message = Message.objects.create(
        direction="out",
        role="outbound",
        standard="edifact",
        message_type="CUSCAR",
        message_id="TEST-CUSCAR-1",
        sender="LOGIHUB",
        body=body,
        sha256=Message.digest(body),
        outcome="sent",
    )
    client.force_login(operator)
    html = client.get(f"/portal/ops/customs/messages/{message.pk}/").content.decode()
    assert '<th scope="row">UNB</th>' in html and '<th scope="row">UNH</th>' in html
    assert "CUSCAR" in html


def test_an_interchange_sent_to_an_edifact_subscriber_is_listed_and_opens_on_its_bytes_and_segments(client, operator):
    from tests.unit.tracking.builders import build_event
    from tracking import webhooks
    from tracking.models import OutboundMessage
    from tracking.store import record_events

    party = Party.objects.create(name="Forwarder A", edi_id="FWDA", role="forwarder")
    webhooks.subscribe(party, "http://127.0.0.1:9/none", {}, format="edifact")
    record_events([build_event("GTIN", parties=("FWDA",))])
    sent = OutboundMessage.objects.get()
    client.force_login(operator)
    listed = client.get("/portal/ops/messages/", {"direction": "out", "type": "IFTSTA", "state": "pending"})
    table = _table(listed.content.decode())
    assert f"/portal/ops/interchanges/{sent.pk}/" in table and "Forwarder A" in table and "000000001" in table
    page = client.get(f"/portal/ops/interchanges/{sent.pk}/").content.decode()
    assert "UNB+UNOC:3+LOGIHUB+FWDA" in page and '<th scope="row">STS</th>' in page
    assert sent.sha256 in page
