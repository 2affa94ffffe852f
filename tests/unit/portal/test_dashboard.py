"""The forwarders' dashboard: status, vessel, customs and holds; pictures; export; pinned queries."""

import re
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone
from stdnum import iso6346

from portal.models import WatchItem
from tests.unit.portal.conftest import DEMO, DEMO_HELD, OTHER
from tracking.models import Event, Party

pytestmark = pytest.mark.django_db


def watch(party_edi: str, *numbers: str, kind: str = "container") -> None:
    party = Party.objects.get(edi_id=party_edi)
    WatchItem.objects.bulk_create([WatchItem(party=party, kind=kind, reference=n) for n in numbers])


def test_the_dashboard_asks_for_a_login(client):
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"].startswith("/portal/login/")


def test_rows_show_status_place_vessel_customs_and_holds(client, forwarder):
    watch("DEMOFWD", DEMO, DEMO_HELD)
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    assert "Discharged" in html and "DEMO HARMONY" in html and "Released" in html
    assert "Held: NLCUSTOMS Inspection ordered" in html
    assert 'class="held"' in html


def test_holds_and_releases_are_listed_as_notifications(client, forwarder):
    watch("DEMOFWD", DEMO, DEMO_HELD)
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    alerts = html[html.index('id="alerts"') :]
    assert alerts.index(DEMO_HELD) < alerts.index(DEMO)  # newest first
    assert "Inspection ordered (NLCUSTOMS)" in alerts


def test_the_page_subscribes_to_its_rows_over_the_websocket(client, forwarder):
    watch("DEMOFWD", DEMO)
    watch("DEMOFWD", "BOLUSHA000001", kind="shipment")
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    assert f'{{"containers": ["{DEMO}"], "shipments": ["BOLUSHA000001"]}}' in html
    assert "/static/portal/live.js" in html


def test_the_dashboard_draws_containers_by_status_and_dwell_time(client, forwarder):
    watch("DEMOFWD", DEMO, DEMO_HELD)
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    assert "Containers by status" in html and "Time since the last milestone" in html
    assert html.count('<svg class="chart"') == 2


def test_a_container_the_party_no_longer_sees_is_left_out(client, forwarder, other_forwarder):
    watch("DEMOFWD", DEMO, OTHER)  # as if a grant had been withdrawn after OTHER was added
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    assert DEMO in html and OTHER not in html
    assert OTHER not in client.get("/portal/export.csv").content.decode()


def test_the_export_is_a_csv_of_the_dashboard(client, forwarder):
    watch("DEMOFWD", DEMO, DEMO_HELD)
    client.force_login(forwarder)
    response = client.get("/portal/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Kind,Reference,Status")
    assert any(line.startswith(f"Container,{DEMO},Discharged,NLRTM,") for line in lines)


def test_the_export_speaks_the_users_language(client, forwarder):
    watch("DEMOFWD", DEMO)
    client.force_login(forwarder)
    text = client.get("/portal/export.csv", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("类型")


def test_the_live_row_is_refused_for_a_container_not_watched(client, forwarder, other_forwarder):
    watch("DEMOFWD", DEMO)
    client.force_login(forwarder)
    assert client.get("/portal/row/", {"kind": "container", "ref": DEMO}).status_code == 200
    assert client.get("/portal/row/", {"kind": "container", "ref": OTHER}).status_code == 404


def test_the_dashboard_costs_the_same_queries_for_two_or_twenty_rows(client, forwarder, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    watch("DEMOFWD", DEMO)
    watch("DEMOFWD", "BOLUSHA000001", kind="shipment")
    client.force_login(forwarder)
    with CaptureQueriesContext(connection) as two:
        client.get("/portal/")
    # session, user, party, the user's parties, watchlist, the visibility query (as many queries as
    # tracking.visibility needs, at most three) with the statuses, shipments: never one per row
    assert len(two) <= 10
    numbers = [f"BOLU9{serial:05d}" + iso6346.calc_check_digit(f"BOLU9{serial:05d}") for serial in range(20)]
    watch("DEMOFWD", DEMO_HELD, *numbers)
    watch("DEMOFWD", "BOLUSHA000002", kind="shipment")
    with django_assert_num_queries(len(two)):
        client.get("/portal/")


def test_an_account_without_a_party_is_told_so(client, django_user_model):
    user = django_user_model.objects.create_user("lonely", password="pw-lonely-1")
    client.force_login(user)
    assert "does not act for a forwarder" in client.get("/portal/").content.decode()


def test_the_export_never_hands_a_spreadsheet_a_formula():
    from portal.dashboard import Row, export_csv

    text = export_csv(
        [Row(kind="container", reference="=HYPERLINK(1)", vessel="+SUM(A1)", voyage="-1", eta_place="@x")]
    )
    row = text.splitlines()[1]
    assert "'=HYPERLINK(1)" in row and "'+SUM(A1)" in row and "'-1" in row and "'@x" in row


def test_a_container_at_sea_shows_its_vessel_voyage_and_eta_in_the_ports_time(client, forwarder):
    from portal.management.commands.seed_demo import EN_ROUTE

    watch("DEMOFWD", EN_ROUTE)
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    row = html[html.index(f'id="row-container-{EN_ROUTE}"') :]
    row = row[: row.index("</tr>")]
    assert "Departed" in row and "DEMO HARMONY" in row and "002E" in row
    assert "NLRTM" in row and ('+01:00"' in row or '+02:00"' in row)  # the ETA, in Rotterdam's time


def test_alert_times_are_written_for_the_readers_clock(client, forwarder):
    watch("DEMOFWD", DEMO)
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    alerts = html[html.index('id="alerts"') : html.index("</ul>", html.index('id="alerts"'))]
    assert "<time datetime=" in alerts and "data-local>" in alerts and " UTC</time>" in alerts


def test_the_forwarder_can_ask_for_desktop_notifications_of_holds_and_releases(client, forwarder):
    watch("DEMOFWD", DEMO)
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    assert 'id="notify-me"' in html and "when a container is held or released" in html
    labels = html[html.index('id="live-labels"') :]
    assert '"notification_title": "logihub: customs"' in labels


def test_holds_and_alerts_read_as_chinese_sentences(client, forwarder):
    watch("DEMOFWD", DEMO, DEMO_HELD)
    client.force_login(forwarder)
    html = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "已扣留：NLCUSTOMS" in html
    assert f"{DEMO_HELD}</a>：" in html  # the alert's colon is the Chinese one


def test_the_demo_forwarder_opens_on_the_containers_and_shipment_it_proved(client, django_user_model):
    from django.core.management import call_command

    from portal.management.commands.seed_demo import EN_ROUTE

    call_command("seed_demo", stdout=StringIO())
    events = Event.objects.count()
    tomorrow = SimpleNamespace(now=lambda: timezone.now() + timedelta(days=1, hours=3))
    second = StringIO()
    with mock.patch("portal.management.commands.seed_demo.dj_timezone", tomorrow):
        call_command("seed_demo", stdout=second)  # a `make run` the next day adds nothing twice
    assert Event.objects.count() == events and "0 new" in second.getvalue()
    party = Party.objects.get(edi_id="DEMOFWD")
    watched = set(WatchItem.objects.filter(party=party).values_list("reference", flat=True))
    assert watched == {DEMO, DEMO_HELD, EN_ROUTE, "BOLUSHA000004"}
    client.force_login(django_user_model.objects.get(username="forwarder"))
    html = client.get("/portal/").content.decode()
    assert "Nothing watched yet" not in html and DEMO in html and "Held: NLCUSTOMS" in html


def test_the_eta_says_which_time_zone_it_is_in(client, forwarder):
    from portal.management.commands.seed_demo import EN_ROUTE

    watch("DEMOFWD", EN_ROUTE)
    client.force_login(forwarder)
    html = client.get("/portal/").content.decode()
    row = html[html.index(f'id="row-container-{EN_ROUTE}"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r'\d{2}:\d{2} <span class="tz">UTC\+0[12]:00</span></time> Rotterdam \(NLRTM\)', row), row
