"""The benchmark's interchange generator: deterministic, well-formed, and clean for the validator."""

import io

from bench.generate import generate, write
from edi.parse.interchange import read_interchange


def test_same_seed_and_size_give_the_same_bytes():
    assert generate(50_000, seed=1) == generate(50_000, seed=1)
    assert generate(50_000, seed=1) != generate(50_000, seed=2)


def test_streamed_and_whole_generation_agree():
    out = io.BytesIO()
    size = write(out, 120_000, seed=5)
    assert out.getvalue() == generate(120_000, seed=5) and size == len(out.getvalue())


def test_generated_interchange_mixes_types_versions_and_released_text():
    data = generate(200_000)
    assert data.startswith(b"UNA:+.? 'UNB+UNOC:3+") and b"?'" in data and b"?+" in data and b"??" in data
    reader = read_interchange(data)
    messages = list(reader)
    assert {m.type for m in messages} == {"CODECO", "IFTSTA"}
    assert {m.directory for m in messages} == {"D95B", "D00B", "D01B"}
    assert reader.issues == [] and all(m.issues == [] for m in messages)
    assert abs(len(data) - 200_000) < 2_000


def test_generated_interchange_is_valid_against_its_directories():
    from edi.validate import validate_interchange

    result = validate_interchange(generate(100_000, seed=11))
    assert result.messages and result.all_issues == []
