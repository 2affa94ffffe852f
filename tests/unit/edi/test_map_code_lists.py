"""The codes the container and conveyance tables map are codes of the directories' own code lists.

Each table names UNCL codes (BGM 1001, DTM 2005, LOC 3227, RFF 1153); a code the directory does not
know would never match a real message. D16A carries every one of them (D95B lacks the 1001 codes
UNCL added later, 100 to 184, and DTM 677/678, which the tables say in their comments).
"""

import pytest

from edi.directory import load_directory
from edi.mappings import mapping_for, options
from edi.mappings.edifact import common

TYPES = ["COSTCO", "CUSREP", "COPARN", "COREOR", "CODENO", "VERMAS", "IFTMCS", "IFTMAN", "IFTSAI", "BERMAN"]


def _times(table) -> set[str]:
    times = table.EVENT_TIMES if hasattr(table, "EVENT_TIMES") else ()
    groups = times.values() if isinstance(times, dict) else [times]
    return {q for group in groups for q in group} | set(table.VESSEL_CALLS) | set(table.TIME_CLASSIFIERS)


def _places(table) -> set[str]:
    places = getattr(table, "LOCATIONS", [])
    groups = places.values() if isinstance(places, dict) else [places]
    found = {q for group in groups for _where, qualifiers in group for q in qualifiers}
    return found | {q for _c, _k, ports in table.VESSEL_CALLS.values() for q in ports}


@pytest.mark.parametrize("message_type", TYPES)
def test_every_code_a_table_maps_is_in_the_d16a_code_lists(message_type):
    codes = load_directory("D16A").codes
    table = options(mapping_for("EDIFACT", message_type, "UN"))
    assert message_type in load_directory("D16A").message_types
    if table.EVENT_FROM == "BGM":
        # a guide's own document codes from before UNCL had the message's (COPARN's ITIGG D95B codes)
        own = set(getattr(table, "ITIGG_EVENTS", ())) | set(getattr(table, "ITIGG_QUIET", ()))
        assert (set(table.EVENTS) | set(table.QUIET_DOCUMENTS)) - own <= set(codes["1001"])
    assert set(table.FUNCTION_EVENTS) | set(table.NO_FACT_FUNCTIONS) <= set(codes["1225"])
    assert _times(table) <= set(codes["2005"])
    assert _places(table) <= set(codes["3227"])


@pytest.mark.parametrize("version", ["D95B", "D00B", "D16A"])
def test_the_messages_are_in_each_directory_we_map_them_from(version):
    messages = load_directory(version).message_types
    # VERMAS came with D16A (SOLAS verified gross mass), BERMAN with D00A
    absent = {"D95B": {"VERMAS", "BERMAN"}, "D00B": {"VERMAS"}, "D16A": set()}[version]
    expected = [t for t in TYPES if t not in absent]
    assert [t for t in TYPES if t in messages] == expected


def test_the_reference_codes_the_tables_read_are_in_the_d16a_code_list():
    assert set(common.DOCUMENT_REFERENCES) - {"HB"} <= set(load_directory("D16A").codes["1153"])
