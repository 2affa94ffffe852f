"""Operators' pages: message monitor with filters, a message taken apart, reprocess, gates, customs."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from edi.processing import process
from edi.services import receive
from rfid.models import Reader
from tracking.models import Party

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
BROKEN = (
    "UNB+UNOA:2+YSPIVTERM:ZZZ+LOGIHUB:ZZZ+261125:1010+BR0001'UNH+1+CODECO:D:95B:UN'"
    "BGM+34+X+9'EQD+CN+MSKU1234565'CNT+16:1'UNT+9+1'UNZ+1+BR0001'"
)


@pytest.fixture
def inbound(demo):
    party = Party.objects.get(edi_id="YSPIVTERM")
    good = receive((FIXTURES / "codeco_d95b_logihub_gatein.edi").read_bytes(), channel="http", party=None).message
    bad = receive(BROKEN.encode(), channel="http", party=party).message
    for message in (good, bad):
        process(str(message.pk))
    good.refresh_from_db()
    bad.refresh_from_db()
    return good, bad


@pytest.mark.parametrize("url", ["/portal/ops/", "/portal/ops/messages/", "/portal/ops/gates/", "/portal/ops/customs/"])
def test_operators_pages_are_for_staff_only(client, forwarder, url):
    assert client.get(url).status_code == 302
    client.force_login(forwarder)
    response = client.get(url)
    assert response.status_code == 302 and "/portal/login/" in response["Location"]


def test_the_monitor_lists_messages_with_partner_type_and_state(client, operator, inbound):
    good, bad = inbound
    client.force_login(operator)
    html = client.get("/portal/ops/messages/").content.decode()
    assert html.count("CODECO") >= 2
    assert "Yangshan Phase IV Terminal" in html and "CNSHATERM" in html
    assert bad.get_state_display() in html


def test_the_monitor_filters_by_state_and_partner(client, operator, inbound):
    good, bad = inbound
    client.force_login(operator)
    html = client.get("/portal/ops/messages/", {"state": bad.state}).content.decode()
    assert f"/portal/ops/messages/{bad.pk}/" in html and f"/portal/ops/messages/{good.pk}/" not in html
    html = client.get("/portal/ops/messages/", {"partner": bad.party_id, "type": "codeco"}).content.decode()
    assert f"/portal/ops/messages/{bad.pk}/" in html and f"/portal/ops/messages/{good.pk}/" not in html


def test_the_monitor_list_costs_a_fixed_number_of_queries(client, operator, inbound, django_assert_num_queries):
    for _ in range(5):
        process(
            str(
                receive(
                    b"UNB+UNOA:2+X:ZZZ+Y:ZZZ+261125:1010+" + str(_).encode() + b"'UNZ+0+" + str(_).encode() + b"'",
                    channel="http",
                    party=None,
                ).message.pk
            )
        )
    client.force_login(operator)
    # session, user, EDI messages with partners, customs messages, partners for the filter, the two type lists
    with django_assert_num_queries(7):
        client.get("/portal/ops/messages/")


def test_a_message_page_shows_segments_errors_with_positions_and_the_acknowledgement(client, operator, inbound):
    _good, bad = inbound
    client.force_login(operator)
    html = client.get(f"/portal/ops/messages/{bad.pk}/").content.decode()
    assert 'id="seg-5"' in html and "EQD" in html
    assert html.count('<th scope="row">UNT</th>') == 1
    assert "segment 6" in html  # the UNT count error sits on UNT, segment 6
    assert "UNT+9+1" in html  # the raw message
    assert "CONTRL" in html


def test_reprocess_is_a_post_with_csrf(client, operator, inbound):
    good, _bad = inbound
    client.force_login(operator)
    assert client.get(f"/portal/ops/messages/{good.pk}/reprocess/").status_code == 405
    response = client.post(f"/portal/ops/messages/{good.pk}/reprocess/", follow=True)
    assert "Reprocessed" in response.content.decode()
    good.refresh_from_db()
    assert good.attempts == 2


def test_reprocess_refuses_with_a_csrf_check(operator, inbound):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(operator)
    assert strict.post(f"/portal/ops/messages/{inbound[0].pk}/reprocess/").status_code == 403


def test_the_overview_draws_the_message_flow_per_hour_and_partner(client, operator, inbound):
    client.force_login(operator)
    html = client.get("/portal/ops/").content.decode()
    assert "Messages per hour" in html and "Messages by partner" in html
    assert "5 inbound messages in the last 24 hours." in html  # the demo terminal's three and these two


def test_the_demo_shows_a_processed_a_rejected_and_a_replacing_message_and_no_missing_worker(client, operator):
    from edi import processing
    from edi.models import RawMessage
    from tracking.models import Event

    client.force_login(operator)
    html = client.get("/portal/ops/messages/").content.decode()
    assert "DEMOGI0001" in html and "DEMOGI0002" in html and "DEMOGI0003" in html and "Rejected" in html
    for message in RawMessage.objects.filter(state="received").order_by("received_at"):
        processing.process(str(message.pk))  # (their tasks wait for a commit these tests never make)
    replacing = RawMessage.objects.get(outcome__messages__0__withdraws__document__number="DEMOGI0001")
    html = client.get(f"/portal/ops/messages/{replacing.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "replaces CODECO DEMOGI0001: 1 event withdrawn" in html
    assert Event.every.filter(withdrawn_by__isnull=False, type_code="GTIN").count() == 1
    html = client.get("/portal/ops/").content.decode()
    assert "Tasks run inside the web process" in html and "No heartbeat yet." not in html


def test_silent_readers_are_flagged(client, operator):
    Reader.objects.filter(reader_id="GATE1-IN-L2").update(last_seen_at=timezone.now())
    Reader.objects.filter(reader_id="GATE1-OUT-L1").update(last_seen_at=timezone.now() - timedelta(hours=2))
    client.force_login(operator)
    html = client.get("/portal/ops/gates/").content.decode()
    readers = html[html.index('id="readers"') :]
    assert readers.index("GATE1-OUT-L1") < readers.index("GATE1-IN-L2")
    assert "Silent" in readers and "Reading" in readers


def test_the_admin_lists_watchlists(client, operator):
    client.force_login(operator)
    assert client.get("/admin/portal/watchitem/").status_code == 200


def test_declarations_are_counted_by_state(client, operator):
    from customs_gateway.models import Declaration

    party = Party.objects.get(edi_id="DEMOFWD")
    Declaration.objects.create(kind="declaration", business_reference="LRN-1", party=party, state="held")
    Declaration.objects.create(kind="declaration", business_reference="LRN-2", party=party, state="released")
    client.force_login(operator)
    html = client.get("/portal/ops/customs/", {"state": "held"}).content.decode()
    assert "Held (1)" in html and "Released (1)" in html
    table = html[html.index('id="declarations"') :]
    assert "LRN-1" in table and "LRN-2" not in table


def test_a_message_page_counts_the_events_it_produced(client, operator, inbound):
    good, _bad = inbound
    client.force_login(operator)
    html = client.get(f"/portal/ops/messages/{good.pk}/").content.decode()
    assert f"{good.outcome['storedEvents']} stored" in html


def test_the_gates_and_customs_lists_cost_a_fixed_number_of_queries(client, operator, django_assert_num_queries):
    from customs_gateway.models import Declaration
    from rfid.services import add_reader

    party = Party.objects.get(edi_id="DEMOFWD")
    client.force_login(operator)
    for n in range(3):
        add_reader(f"GATE9-IN-L{n}", gate="GATE9", direction="in", lane=f"L{n}")
        Declaration.objects.create(kind="declaration", business_reference=f"LRN-Q{n}", party=party, state="held")
    # session, user, readers, latest transactions, lane counts
    with django_assert_num_queries(5):
        client.get("/portal/ops/gates/")
    # session, user, counts by state, page count, page of declarations with their parties
    with django_assert_num_queries(5):
        client.get("/portal/ops/customs/")


def test_a_refused_message_is_not_reprocessed_and_the_operator_is_told_why(client, operator, demo):
    from edi.exceptions import WrongSender
    from edi.models import RawMessage

    party = Party.objects.get(edi_id="BLUEOCEAN")
    with pytest.raises(WrongSender):
        receive(BROKEN.encode(), channel="http", party=party)
    refused = RawMessage.objects.get(state="refused")
    client.force_login(operator)
    page = client.get(f"/portal/ops/messages/{refused.pk}/").content.decode()
    assert "Refused" in page and "is not this key&#x27;s party" in page
    response = client.post(f"/portal/ops/messages/{refused.pk}/reprocess/", follow=True)
    assert "Not reprocessed" in response.content.decode()


def test_the_gates_page_lists_the_latest_transactions_with_decision_and_reasons(client, operator):
    from rfid.models import GateTransaction

    reader = Reader.objects.get(reader_id="GATE1-IN-L2")
    now = timezone.now()
    GateTransaction.objects.create(
        reader=reader,
        gate="GATE1",
        lane="L2",
        direction="in",
        started_at=now,
        last_read_at=now,
        decision="HOLD",
        reasons=[{"code": "NOT_RELEASED", "message": "MSKU1234565 is not released by customs"}],
        equipment=[{"equipmentReference": "MSKU1234565", "customsState": "HOLD"}],
        decided_in_ms=3.21,
    )
    client.force_login(operator)
    html = client.get("/portal/ops/gates/").content.decode()
    table = html[html.index('id="transactions"') :]
    assert "MSKU1234565" in table and "is not released by customs" in table and "3.2 ms" in table
    assert 'class="held"' in table


def test_an_operator_who_may_only_view_messages_cannot_reprocess_them(client, inbound, django_user_model):
    good, _bad = inbound
    viewer = django_user_model.objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)
    assert client.post(f"/portal/ops/messages/{good.pk}/reprocess/").status_code == 403
    good.refresh_from_db()
    assert good.attempts == 1


def test_an_operator_without_a_watchlist_lands_on_the_operators_pages(client, operator):
    client.force_login(operator)
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"] == "/portal/ops/"


def test_a_message_page_shows_the_text_in_the_character_set_its_sender_declared(client, operator, demo):
    """UNOC is ISO 8859-1 and a China manifest may be GB18030: the raw text reads as the partner wrote it."""
    party = Party.objects.get(edi_id="YSPIVTERM")
    latin = (
        "UNB+UNOC:3+YSPIVTERM:ZZZ+LOGIHUB:ZZZ+261125:1010+LA0001'UNH+1+CODECO:D:95B:UN'"
        "BGM+34+LA1+9'NAD+CF+MSK:160:20++MÜLLER SPEDITION'UNT+4+1'UNZ+1+LA0001'"
    ).encode("latin-1")
    chinese = '<?xml version="1.0" encoding="GB18030"?><Manifest><Note>上海港</Note></Manifest>'.encode("gb18030")
    client.force_login(operator)
    for body, text in ((latin, "MÜLLER SPEDITION"), (chinese, "上海港")):
        message = receive(body, channel="http", party=party).message
        html = client.get(f"/portal/ops/messages/{message.pk}/").content.decode()
        raw = html.split('<pre class="raw"', 1)[1].split("</pre>", 1)[0]
        assert text in raw and "\ufffd" not in raw


def test_a_refused_message_reads_as_refused_in_chinese_not_as_customs_release_refused(client, operator, demo):
    from edi.exceptions import WrongSender
    from edi.models import RawMessage

    with pytest.raises(WrongSender):
        receive(BROKEN.encode(), channel="http", party=Party.objects.get(edi_id="BLUEOCEAN"))
    refused = RawMessage.objects.get(state="refused")
    client.force_login(operator)
    page = client.get(f"/portal/ops/messages/{refused.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    listing = client.get("/portal/ops/messages/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "拒收" in page and "拒收" in listing
    assert "不予放行" not in page and "不予放行" not in listing


def test_a_message_pages_error_codes_are_named_in_the_readers_language(client, operator, inbound):
    _good, bad = inbound
    client.force_login(operator)
    html = client.get(f"/portal/ops/messages/{bad.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    errors = html[html.index('id="errors"') :]
    assert "<td>29 控制计数与实际数量不符</td>" in errors[: errors.index("</table>")]


def test_the_gates_page_in_chinese_names_states_and_reasons_in_chinese(client, operator):
    from rfid.models import GateTransaction

    now = timezone.now()
    GateTransaction.objects.create(
        reader=Reader.objects.get(reader_id="GATE1-OUT-L1"),
        gate="GATE1",
        lane="L1",
        direction="out",
        started_at=now,
        last_read_at=now,
        decision="HOLD",
        reasons=[{"code": "ON_HOLD", "message": "Container MSKU1234565 is held.", "equipmentReference": "MSKU1234565"}],
        equipment=[{"equipmentReference": "MSKU1234565", "customsState": "INSP"}],
        decided_in_ms=1.5,
    )
    client.force_login(operator)
    html = client.get("/portal/ops/gates/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    table = html[html.index('id="transactions"') :]
    assert "有主管机关或检验机构扣留该集装箱 (MSKU1234565)" in table and "is held" not in table
    assert "布控查验" in table and ">INSP<" not in table
    assert '<th scope="col">集装箱</th>' in table
