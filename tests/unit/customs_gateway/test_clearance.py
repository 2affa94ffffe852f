"""``gate_clearance``: what a gate is told about a container, from one fixed SQL statement."""

from __future__ import annotations

import pytest
from django.db import connection

from customs_gateway.clearance import clearance_from_rows, clearance_sql, gate_clearance
from tracking.models import ContainerStatus, Equipment

pytestmark = pytest.mark.django_db


def status(number: str, state: str, holds: list | None = None) -> None:
    equipment = Equipment.objects.create(reference=number)
    ContainerStatus.objects.create(equipment=equipment, customs_state=state, holds=holds or [])


def test_released_held_pending_and_unknown_containers_are_told_apart():
    status("MSKU1234565", "RLSD")
    status("BOLU1234565", "RLSD", [{"authority": "CIQ", "code": "QUARANTINE"}])
    status("TGHU1234565", "ACPT")
    answer = gate_clearance(["MSKU1234565", "bolu1234565", "TGHU1234565", "CAIU1234565"])
    assert answer["MSKU1234565"].released and answer["MSKU1234565"].known
    assert not answer["BOLU1234565"].released and answer["BOLU1234565"].holds == [
        {"authority": "CIQ", "code": "QUARANTINE"}
    ]
    assert (answer["TGHU1234565"].state, answer["TGHU1234565"].released) == ("ACPT", False)
    assert not answer["CAIU1234565"].known and not answer["CAIU1234565"].released


def test_a_hold_placed_after_a_question_is_in_the_next_answer():
    status("MSKU1234565", "RLSD")
    assert gate_clearance(["MSKU1234565"])["MSKU1234565"].released
    ContainerStatus.objects.filter(equipment__reference="MSKU1234565").update(holds=[{"authority": "CUS"}])
    assert not gate_clearance(["MSKU1234565"])["MSKU1234565"].released


def test_no_numbers_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert gate_clearance([]) == {}


def test_a_subquery_adds_the_numbers_it_yields_to_those_asked_for():
    status("MSKU1234565", "RLSD")
    status("TGHU1234565", "ACPT")
    with connection.cursor() as cursor:
        cursor.execute(clearance_sql(1, also="SELECT %s"), ["MSKU1234565", "TGHU1234565"])
        rows = cursor.fetchall()
    answer = clearance_from_rows(["MSKU1234565", "TGHU1234565"], rows)
    assert answer["MSKU1234565"].released and answer["TGHU1234565"].state == "ACPT"


def test_rows_for_numbers_not_asked_about_are_left_out():
    answer = clearance_from_rows(["MSKU1234565"], [("TGHU1234565", "RLSD", "[]"), ("MSKU1234565", "RLSD", "[]")])
    assert list(answer) == ["MSKU1234565"] and answer["MSKU1234565"].released
