"""Adding to the watchlist: one by one or by a CSV/Excel file, with a report of what was not added."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from stdnum import iso6346

from portal.models import WatchItem
from tests.unit.portal.conftest import DEMO, DEMO_HELD, DEMO_HIDDEN, OTHER

pytestmark = pytest.mark.django_db


def watched(user):
    return set(WatchItem.objects.filter(party__users=user).values_list("reference", flat=True))


def test_a_forwarder_adds_its_container_by_number(client, forwarder):
    client.force_login(forwarder)
    response = client.post("/portal/watch/add/", {"numbers": DEMO.lower()})
    assert response.status_code == 302
    assert watched(forwarder) == {DEMO}


def test_a_forwarder_adds_its_bill_of_lading(client, forwarder):
    client.force_login(forwarder)
    client.post("/portal/watch/add/", {"numbers": "BOLUSHA000001"})
    assert WatchItem.objects.get(reference="BOLUSHA000001").kind == "shipment"


def test_another_forwarders_container_is_refused_like_an_unknown_one(client, forwarder, other_forwarder):
    client.force_login(forwarder)
    unknown = "ZZZU000000" + iso6346.calc_check_digit("ZZZU000000")
    client.post("/portal/watch/add/", {"numbers": f"{OTHER}\n{unknown}\n{DEMO_HIDDEN}"})
    html = client.get("/portal/").content.decode()
    assert watched(forwarder) == set()
    assert html.count("Unknown, or not one of your shipments") == 3


def test_the_report_names_bad_check_digits_and_duplicates(client, forwarder):
    client.force_login(forwarder)
    wrong = DEMO[:-1] + str((int(DEMO[-1]) + 1) % 10)
    client.post("/portal/watch/add/", {"numbers": f"{DEMO}, {DEMO}, {wrong}"})
    html = client.get("/portal/").content.decode()
    assert "1 number added." in html
    assert "Already on the watchlist" in html
    assert f"Wrong check digit (should end in {DEMO[-1]})" in html
    assert client.get("/portal/").content.decode().count("Wrong check digit") == 0  # the report is shown once


def test_a_csv_file_adds_the_numbers_of_its_first_column(client, forwarder):
    client.force_login(forwarder)
    body = f"container;note\n{DEMO};urgent\n{DEMO_HELD};\n\nNOTANUMBER;x\n".encode()
    upload = SimpleUploadedFile("boxes.csv", body, content_type="text/csv")
    response = client.post("/portal/watch/upload/", {"file": upload})
    assert response.status_code == 302
    assert watched(forwarder) == {DEMO, DEMO_HELD}


def test_an_excel_file_is_read_from_its_first_sheet(client, forwarder):
    book = Workbook()
    sheet = book.active
    sheet.append(["Container", "Remark"])
    sheet.append([DEMO, "first"])
    sheet.append([DEMO_HIDDEN, "not ours"])
    data = io.BytesIO()
    book.save(data)
    client.force_login(forwarder)
    upload = SimpleUploadedFile("boxes.xlsx", data.getvalue())
    client.post("/portal/watch/upload/", {"file": upload})
    assert watched(forwarder) == {DEMO}
    assert "Unknown, or not one of your shipments" in client.get("/portal/").content.decode()


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_error(client, forwarder):
    client.force_login(forwarder)
    upload = SimpleUploadedFile("boxes.xlsx", b"PK\x03\x04 broken zip")
    client.post("/portal/watch/upload/", {"file": upload})
    assert "The Excel file could not be read." in client.get("/portal/").content.decode()


def test_a_watched_item_can_be_removed(client, forwarder):
    client.force_login(forwarder)
    client.post("/portal/watch/add/", {"numbers": DEMO})
    client.post("/portal/watch/remove/", {"kind": "container", "ref": DEMO})
    assert watched(forwarder) == set()


def test_adding_needs_a_post(client, forwarder):
    client.force_login(forwarder)
    assert client.get("/portal/watch/add/", {"numbers": DEMO}).status_code == 405


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_unopened(client, forwarder):
    import zipfile

    from portal import watchlist

    book = Workbook()
    book.active.append([DEMO])
    packed = io.BytesIO()
    book.save(packed)
    bomb = io.BytesIO()
    with zipfile.ZipFile(packed) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        with out.open("xl/padding.xml", "w") as padding:  # 60 MB of spaces: about 60 KB packed
            for _ in range(60):
                padding.write(b" " * 1024 * 1024)
    assert len(bomb.getvalue()) < watchlist.MAX_UPLOAD_BYTES
    client.force_login(forwarder)
    client.post("/portal/watch/upload/", {"file": SimpleUploadedFile("boxes.xlsx", bomb.getvalue())})
    assert watched(forwarder) == set()
    assert "unpacks to more than 50 MB" in client.get("/portal/").content.decode()


def test_a_bill_of_lading_typed_in_lower_case_is_added_as_stored(client, forwarder):
    client.force_login(forwarder)
    client.post("/portal/watch/add/", {"numbers": "bolusha 000001"})
    assert watched(forwarder) == {"BOLUSHA000001"}


def test_a_csv_saved_by_excel_for_mac_is_read_not_a_server_error(client, forwarder):
    client.force_login(forwarder)
    upload = SimpleUploadedFile("boxes.csv", f"Container\r{DEMO}\r{DEMO_HELD}\r".encode(), content_type="text/csv")
    assert client.post("/portal/watch/upload/", {"file": upload}).status_code == 302
    assert watched(forwarder) == {DEMO, DEMO_HELD}


def test_a_picture_uploaded_by_mistake_gets_a_clear_error(client, forwarder):
    client.force_login(forwarder)
    picture = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
    response = client.post("/portal/watch/upload/", {"file": SimpleUploadedFile("boxes.png", picture)}, follow=True)
    assert response.status_code == 200
    assert "This is not a CSV or Excel file" in response.content.decode()
    assert watched(forwarder) == set()


def test_a_file_without_any_number_says_so_in_chinese_too(client, forwarder):
    client.force_login(forwarder)
    upload = SimpleUploadedFile("people.csv", b"Name,Notes\nAlice,hello\nBob,world\n", content_type="text/csv")
    page = client.post("/portal/watch/upload/", {"file": upload}, follow=True, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "文件中没有找到" in page.content.decode()


def test_a_long_file_costs_the_same_queries_as_a_short_one(client, forwarder):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def numbers(count):
        boxes = [f"ZZZU{n:06d}" + iso6346.calc_check_digit(f"ZZZU{n:06d}") for n in range(count)]
        return "\n".join([DEMO, "BOLUSHA000001", *boxes, *[f"BILL{n:06d}" for n in range(count)]]).encode()

    client.force_login(forwarder)
    with CaptureQueriesContext(connection) as short:
        client.post("/portal/watch/upload/", {"file": SimpleUploadedFile("a.csv", numbers(2))})
    WatchItem.objects.all().delete()
    with CaptureQueriesContext(connection) as long:
        client.post("/portal/watch/upload/", {"file": SimpleUploadedFile("b.csv", numbers(400))})
    assert len(long) == len(short)
    assert watched(forwarder) == {DEMO, "BOLUSHA000001"}


def test_a_container_typed_in_full_width_characters_is_added(client, forwarder):
    client.force_login(forwarder)
    client.post("/portal/watch/add/", {"numbers": "".join(chr(ord(c) + 0xFEE0) for c in DEMO)})
    assert watched(forwarder) == {DEMO}
