"""Every real sample validates with the result its content deserves (specific codes and positions).

Samples whose licence allows it are in ``tests/fixtures/edifact/``; the others are read from
``../shared/samples/edifact/`` when it is present and skipped otherwise. Where a "clean" sample
(top folder) has a real directory error, the test asserts that error and says why it is one.
"""

from collections import Counter
from pathlib import Path

import pytest

from edi.validate import validate_interchange

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "edifact"
SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "samples" / "edifact"


def sample(name: str) -> Path:
    for folder in (FIXTURES, SHARED):
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"sample {name} is not redistributable and ../shared is absent")


def errors(name: str) -> list[tuple[str, int, str]]:
    return [(i.code, i.position.segment, i.position.tag) for i in validate_interchange(sample(name)).errors]


def warnings(name: str) -> Counter:
    result = validate_interchange(sample(name))
    return Counter((i.code, i.position.tag) for i in result.all_issues if i.severity == "warning")


# -- clean samples -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "aperak_d00a_xeredi_aperak1.itc",
        "aperak_d00a_xeredi_aperak3.itc",
        "baplie_d95b_openshipping_HKG_to_TAG_EDI.EDI",
        "baplie_d95b_phpedifact_D95BBAPLIE.edi",
        "coarri_d95b_phpedifact_D95BCOARRI.edi",
        "cusres_1-921_xeredi_cusres1.itc",
        "ifcsum_d01b_xeredi_ifcsum1.itc",
    ],
)
def test_clean_samples_have_no_error(name):
    assert errors(name) == []


def test_coarri_uses_partner_qualifiers_reported_as_warnings_only():
    # MEA+EGW (SMDG gross weight) and DGS class 'CN' are outside the D95B lists: warnings, not rejections
    assert warnings("coarri_d95b_phpedifact_D95BCOARRI.edi") == Counter({("12", "MEA"): 21, ("12", "DGS"): 1})


def test_cusres_of_a_national_version_is_not_checked_against_a_un_directory():
    # CUSRES:1:921:UN is Spanish customs' own version: no UN directory, one warning (17)
    assert warnings("cusres_1-921_xeredi_cusres1.itc") == Counter({("17", "UNH"): 1})


def test_baplie_d04b_has_a_syntax_2_envelope_with_syntax_4_fields():
    # UNB date 00091022 has 8 digits where syntax 2 has n6 (39); UNH S009 has 7 components where
    # syntax 2 defines 5 (16): syntax version 4 defines both, so they are read as it does (warnings)
    name = "baplie_d04b_apimeister_d04b_baplie.edi"
    assert errors(name) == []
    assert warnings(name)[("39", "UNB")] == 1 and warnings(name)[("16", "UNH")] == 1


def test_a_d_directory_named_under_syntax_version_1_is_a_warning_not_a_rejection():
    # UNOA:1 / UNOB:1: in syntax version 1 the message version and release (0052, 0054) are numeric,
    # but real senders of the D directories keep the version 1 envelope: 'D' and '95B' are reported
    # (37) as warnings and the messages are read
    for name in ("baplie_d95b_japdeva_BAPLIE_Export.EDI", "ifcsum_d16b_frends_D16B_IFCSUM.edi"):
        assert errors(name) == []
        assert warnings(name)[("37", "UNH")] == 2


def test_baplie_from_a_stowage_tool_writes_four_letter_cargo_codes():
    # GDS+REEF: nature of cargo 7085 is a coded an..3: 'REEF' is outside its list (12), 350 times; read
    # as written, warnings (the first 200 listed, then one summary), not a rejection of the bay plan
    name = "baplie_d95b_openshipping_GBSOU_arrival.BAPLIE.edi.txt"
    assert errors(name) == []
    assert warnings(name) == Counter({("12", "GDS"): 201})


def test_full_baplie_writes_fixed_length_temperatures_without_leading_zeros():
    # DGS flashpoint 7106 and TMP setting 6246 are n3 (fixed): '23' and '-18' are too short (40);
    # read as written (the leading zero left out), warnings
    name = "baplie_d95b_phpedifact_D95BBAPLIE_full_3d6cfbd.edi"
    assert errors(name) == []
    found = warnings(name)
    assert (found[("40", "DGS")], found[("40", "TMP")]) == (58, 51)


def test_eancom_iftmin_has_an_eight_digit_date_in_a_syntax_2_unb():
    assert errors("iftmin_d96a_edifabric_Instruction.txt") == []  # syntax version 4's date: a warning
    assert warnings("iftmin_d96a_edifabric_Instruction.txt")[("39", "UNB")] == 1


# -- malformed samples (malformed/SOURCES.md names each defect) --------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        # UNT+8 for 7 segments (29); lower-case text under UNOA is a warning (see below)
        ("malformed/aperak_d96a_pydifact_v3_aperak.edi", [("29", 8, "UNT")]),
        # (in syntax 4 the UNB date is n8: 250322 is syntax 3's date, a warning)
        ("malformed/aperak_d96a_pydifact_v4_aperak.edi", [("29", 8, "UNT")]),
        ("malformed/aperak_d96a_pydifact_v4_aperak_rejected.edi", [("29", 8, "UNT")]),
        # UNT+21 for 22 (warnings: the 8-digit date in syntax 2; BGM+659::LOADONLY puts a name into the
        # agency 3055; TDT writes the vessel (C222) into position 7, C401, whose 8457 is coded)
        ("malformed/baplie_d13b_edifabric_Bayplan.txt", [("29", 23, "UNT")]),
        # UNT+907 for 833; NAD++:160:166 lacks the party qualifier and id (lower case: a warning)
        ("malformed/coarri_d23a_japdeva_COARRI.edi", [("13", 12, "NAD"), ("13", 12, "NAD"), ("29", 834, "UNT")]),
        # UNT+35 for 28 (the agencies '6 ' and 'SMD' are warnings: see the test below)
        ("malformed/codeco_d00b_xeredi_codeco1.itc", [("29", 28, "UNT")]),
        ("malformed/codeco_d00b_xeredi_codeco2.itc", [("29", 28, "UNT")]),
        ("malformed/codeco_d00b_xeredi_codeco3.itc", [("29", 32, "UNT")]),
        ("malformed/codeco_d00b_xeredi_codeco5.itc", [("29", 15, "UNT")]),
        # UNT+10 for 7; time '999' is n4 (40); the FTX that continues over a line break is a
        # wrapped line, read as one (a warning: the owner's notes count it a feature, not the defect)
        ("malformed/iftmbc_d00b_phpedifact_example_multiline.edi", [("40", 1, "UNB"), ("29", 8, "UNT")]),
        # UNB date 19101 and time 118 too short; 2nd message UNT+19 for 18
        (
            "malformed/iftmin_s93a_chemaclass_edifact-sample.edi",
            [("40", 1, "UNB"), ("40", 1, "UNB"), ("29", 37, "UNT")],
        ),
        # UNZ reference differs from UNB's (STS+1+P::HS, the sender's own agency, is a warning)
        ("malformed/iftsta_d00b_apimeister_d00b_iftsta.edi", [("28", 33, "UNZ")]),
    ],
)
def test_malformed_samples_report_their_defects(name, expected):
    assert errors(name) == expected


def test_lower_case_letters_under_unoa_are_a_warning_read_as_written():
    # level B (UNOB) is level A with lower case: a sender who wrote it and declared UNOA loses nothing
    assert warnings("malformed/aperak_d96a_pydifact_v3_aperak.edi")[("21", "FTX")] == 1
    assert warnings("malformed/coarri_d23a_japdeva_COARRI.edi")[("21", "LOC")] == 2


def test_an_agency_outside_the_un_agency_list_is_a_warning_not_a_rejection():
    # '6 ' (a trailing space), 'SMD' (SMDG is 306) and the sender's own 'HS': 3055 grows from
    # directory to directory and partners write their own agencies into it
    assert warnings("malformed/codeco_d00b_xeredi_codeco1.itc")[("12", "LOC")] == 3
    assert warnings("malformed/codeco_d00b_xeredi_codeco3.itc")[("12", "NAD")] == 1
    assert warnings("malformed/iftsta_d00b_apimeister_d00b_iftsta.edi")[("12", "STS")] == 1


def test_codeco_with_a_non_numeric_dtm_qualifier_gets_a_warning():
    assert warnings("malformed/codeco_d00b_xeredi_codeco3.itc")[("12", "DTM")] == 1


def test_cuscar_labelled_d95a_has_the_later_cuscar_structure():
    # D.95A CUSCAR (as D.93A) has no CNI consignment group: every consignment segment is out of place
    found = errors("malformed/cuscar_d95a_xeredi_cuscar1.itc")
    assert found[-1] == ("29", 27, "UNT")
    assert found[:2] == [("15", 5, "CNI"), ("15", 7, "LOC")]
    assert {c for c, _, _ in found[:-1]} == {"15"}


def test_every_shared_sample_has_an_expectation_here():
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    source = Path(__file__).read_text()
    names = [p.relative_to(SHARED).as_posix() for p in SHARED.rglob("*") if p.is_file() and p.suffix != ".md"]
    assert names and [n for n in names if f'"{n}"' not in source] == []
