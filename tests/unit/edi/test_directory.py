"""The compiled UN/EDIFACT directories: shipped, complete for the port messages, fast to load."""

from pathlib import Path

import pytest

from edi.directory import available_directories, directory_for, directory_name, load_directory, service_directory
from edi.directory.build import build_version, parse_repr
from edi.directory.load import SCHEMA_DIR, Composite, Simple
from edi.exceptions import DirectoryMissing

SOURCE = Path(__file__).resolve().parents[3].parent / "shared" / "standards" / "edifact"
PORT_MESSAGES = ["CODECO", "COARRI", "IFTSTA", "CUSCAR", "CUSRES", "CUSDEC", "APERAK", "IFTMIN", "IFTMBC", "BAPLIE"]
PORT_MESSAGES += ["COPRAR"]
SAMPLE_VERSIONS = ["D93A", "D95A", "D95B", "D96A", "D00A", "D00B", "D01B", "D04B", "D13B", "D16B", "D23A"]


@pytest.mark.parametrize("version", ["D95B", "D96A", "D99B", "D00B", "D01B"])
def test_required_versions_have_every_port_message(version):
    directory = load_directory(version)
    for message_type in PORT_MESSAGES:
        structure = directory.message(message_type)
        assert structure is not None, (version, message_type)
        assert structure.children[0].tag == "UNH"
        assert structure.children[-1].tag == "UNT"


@pytest.mark.parametrize("version", SAMPLE_VERSIONS)
def test_every_version_the_samples_use_is_shipped(version):
    assert version in available_directories()
    assert load_directory(version).message_types


def test_contrl_comes_from_the_service_directories_of_syntax_3_and_4():
    for syntax in (3, 4):
        contrl = service_directory(syntax).message("CONTRL")
        assert [n.tag for n in contrl.children] == ["UNH", "UCI", "UCM", "UCF", "UNT"]
        for tag in ("UNB", "UNG", "UNH", "UNT", "UNE", "UNZ", "UCI", "UCM", "UCS", "UCD"):
            assert tag in service_directory(syntax).segments


def test_codeco_d96a_structure_matches_the_directory():
    codeco = load_directory("D96A").message("CODECO")
    sg2 = codeco.children[5]
    assert (sg2.name, sg2.tag, sg2.mandatory, sg2.max) == ("SG2", "NAD", True, 9)
    assert [(n.tag, n.mandatory, n.max) for n in sg2.group.children] == [("NAD", True, 1), ("CTA", False, 9)]


def test_segments_carry_status_type_and_both_lengths():
    dtm = load_directory("D96A").segments["DTM"]
    c507 = dtm[0]
    assert isinstance(c507, Composite) and c507.mandatory
    assert c507.components[0] == Simple("2005", True, "an", 1, 3, c507.components[0].codes, False)
    assert "137" in c507.components[0].codes
    flashpoint = load_directory("D96A").segments["DGS"][3].components[0]
    assert (flashpoint.id, flashpoint.kind, flashpoint.min, flashpoint.max) == ("7106", "n", 3, 3)


def test_composites_know_their_code_list_agency():
    loc = load_directory("D00B").segments["LOC"]
    assert loc[1].id == "C517" and loc[1].components[loc[1].agency].id == "3055"


def test_d93a_comes_from_the_untdid_text_without_code_lists():
    d93a = load_directory("D93A")
    assert d93a.codes == {}
    iftmin = d93a.message("IFTMIN")
    assert [n.name for n in iftmin.children[:3]] == ["UNH", "BGM", "CTA"]
    assert d93a.segments["NAD"][1].components[0] == Simple("3039", True, "an", 1, 17, None, False)


def test_unh_names_its_directory():
    assert directory_name("CODECO", "D", "95B", "UN") == "D95B"
    assert directory_name("IFTMIN", "S", "93A", "UN") == "D93A"
    assert directory_name("CONTRL", "D", "3", "UN") == "service_v3"
    assert directory_name("CONTRL", "4", "1", "UN") == "service_v4"
    assert directory_name("CUSRES", "1", "921", "UN") is None
    assert directory_for("CODECO", "D", "99Z", "UN") is None


def test_a_missing_directory_is_a_named_error(tmp_path):
    with pytest.raises(DirectoryMissing):
        load_directory("D99B", tmp_path)


def test_loading_is_cached_and_quick():
    assert load_directory("D00B") is load_directory("D00B")


def test_shipped_files_stay_small():
    total = sum(p.stat().st_size for p in SCHEMA_DIR.glob("*.json.gz"))
    assert total < 2_000_000
    assert (SCHEMA_DIR / "README.md").is_file()
    assert list(SCHEMA_DIR.glob("LICENSE-LGPL-3.0*"))


def test_untdid_representations_parse():
    assert parse_repr("an..35") == ("an", 1, 35)
    assert parse_repr("n3") == ("n", 3, 3)
    with pytest.raises(ValueError):
        parse_repr("x..3")


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the standards folder is not next to the repository")
def test_compiler_reproduces_the_shipped_d96a():
    import gzip
    import json

    built = build_version(SOURCE.resolve(), "D96A")
    with gzip.open(SCHEMA_DIR / "D96A.json.gz") as fh:
        shipped = json.load(fh)
    assert built == shipped


#: A UNTDID composite directory as the UN publishes it (EDCD): a name may wrap onto a second line.
EDCD_TEXT = """
       C059 STREET

       Desc: Street address and/or PO Box number in a structured
             address: one to four lines.

010    3042  Street and number/p.o. box                M      an..35
020    3042  Street and number/p.o. box                C      an..35

\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500

       C235 HAZARD IDENTIFICATION PLACARD DETAILS

010    8158  Hazard identification number, upper part  C      an..4
020    8186  Substance identification number, lower
             part                                      C      an4
"""
SEGMENTS_XML = """<?xml version="1.0" encoding="utf-8"?>
<segments>
  <segment id="NAD">
    <data_element id="3035" required="true" type="an" maxlength="3"/>
    <composite_data_element id="C059"/>
  </segment>
  <segment id="DGS">
    <composite_data_element id="C235">
      <data_element id="8158" type="an" maxlength="4"/>
    </composite_data_element>
  </segment>
</segments>
"""


def _source_with_untdid(tmp_path, version, edcd_text):
    import zipfile

    folder = tmp_path / version
    (folder / "messages").mkdir(parents=True)
    (folder / "segments.xml").write_text(SEGMENTS_XML)
    if edcd_text is not None:
        (folder / "untdid").mkdir()
        with zipfile.ZipFile(folder / "untdid" / "EDCD.ZIP", "w") as zf:
            zf.writestr(f"EDCD.{version[1:]}", edcd_text.encode("cp437"))
        with zipfile.ZipFile(folder / "untdid" / "EDED.ZIP", "w") as zf:
            zf.writestr(f"EDED.{version[1:]}", "     3042  Street and number/p.o. box\n\n     Repr: an..35\n")
    return folder


def test_composites_the_xml_leaves_without_components_come_from_the_untdid(tmp_path):
    from edi.directory.build import read_untdid_composites

    folder = _source_with_untdid(tmp_path, "D99B", EDCD_TEXT)
    assert read_untdid_composites(folder / "untdid")["C235"] == [["8158", 0, "an", 1, 4], ["8186", 0, "an", 4, 4]]
    segments = build_version(tmp_path, "D99B")["segments"]
    assert segments["NAD"][1] == ["C059", 0, [["3042", 1, "an", 1, 35], ["3042", 0, "an", 1, 35]]]
    assert [c[0] for c in segments["DGS"][0][2]] == ["8158", "8186"]


def test_a_directory_without_untdid_only_gets_back_what_its_xml_left_out(tmp_path):
    _source_with_untdid(tmp_path, "D99B", EDCD_TEXT)
    _source_with_untdid(tmp_path, "D99A", None)
    segments = build_version(tmp_path, "D99A")["segments"]
    assert [c[0] for c in segments["DGS"][0][2]] == ["8158", "8186"]
    assert segments["DGS"][0][2][0] == ["8158", 0, "an", 1, 4]  # its own component as its XML has it


@pytest.mark.parametrize(
    ("version", "tag", "composite", "components"),
    [
        ("D97A", "NAD", "C082", ["3039", "1131", "3055"]),  # php-edifact's XML lost the party identifier
        ("D97A", "TDT", "C222", ["8213", "1131", "3055", "8212", "8453"]),  # ... and the vessel's number and name
        ("D99B", "NAD", "C059", ["3042", "3042", "3042", "3042"]),  # ... listed the street with no component
        ("D99B", "ERP", "C701", ["1049", "1052", "1054"]),
        ("D00B", "NAD", "C819", ["3229", "1131", "3055", "3228"]),  # ... and the country sub-entity with one
        ("D16A", "MEA", "C502", ["6313", "6321", "6155", "6154"]),
    ],
)
def test_shipped_composites_have_every_component_the_un_directory_gives_them(version, tag, composite, components):
    element = next(e for e in load_directory(version).segments[tag] if e.id == composite)
    assert [c.id for c in element.components] == components
