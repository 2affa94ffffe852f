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
