"""Differential tests: our reader and pydifact 0.2.3's stock Parser agree, segment for segment.

Compared: each segment's tag and elements, in order. pydifact writes a one-component element as
a str and drops trailing empty components (``A:`` is ``"A"``); :func:`pydifact_shape` brings
ours to that shape. pydifact yields UNA as a segment; we do not (it is service string advice,
not counted by ISO 9735), so it is dropped from pydifact's side.

Known divergences, each pinned by a test at the bottom so that it stays documented:

* a leading UTF-8 BOM or whitespace: pydifact takes it as part of the first tag and fails;
* syntax version 4 repetition separator: pydifact does not know repetitions;
* ``?`` before a line feed: pydifact raises; ISO 9735 lets any character be released;
* an empty segment (``''``): pydifact glues the second terminator to the next segment and fails;
* a line break inside a segment: pydifact keeps it in the value; we read the line as one the
  sender's system wrapped (fixed-length records) and drop the break;
* a ``'UNA`` in the middle of an interchange: pydifact takes new service characters from it.
"""

import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydifact.parser import Parser

from edi.parse.edifact import Repetitions, SegmentReader, iter_segments

FIXTURES = Path(__file__).parents[2] / "fixtures" / "edifact"
SHARED = Path(__file__).parents[4] / "shared" / "samples" / "edifact"
BOM = b"\xef\xbb\xbf"


def pydifact_shape(element):
    if isinstance(element, Repetitions):
        raise AssertionError("pydifact has no repetitions")
    values = list(element)
    while len(values) > 1 and values[-1] == "":
        values.pop()
    return values[0] if len(values) == 1 else values


def ours(source):
    return [(s.tag, [pydifact_shape(e) for e in s.elements]) for s in iter_segments(source)]


def unwrapped(segments):
    """pydifact's segments without the line breaks it keeps inside values (the samples release none)."""

    def strip(value):
        return [strip(v) for v in value] if isinstance(value, list) else value.replace("\r", "").replace("\n", "")

    return [(tag, [strip(e) for e in elements]) for tag, elements in segments]


def theirs(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [(s.tag, list(s.elements)) for s in Parser().parse(text) if s.tag != "UNA"]


def sample_files():
    found = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".md")
    if SHARED.is_dir():  # the whole shared set when it is there (not redistributed here)
        found += sorted(p for p in SHARED.rglob("*") if p.is_file() and p.suffix != ".md")
    return found


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_every_sample_reads_the_same_as_pydifact(path):
    data = path.read_bytes()
    reader = SegmentReader(data)
    mine = [(s.tag, [pydifact_shape(e) for e in s.elements]) for s in reader]
    # pydifact cannot skip a BOM or leading whitespace (see the divergences above)
    text = data.removeprefix(BOM).decode(reader.charset.codec, errors="replace").lstrip(" \r\n\t")
    assert mine == unwrapped(theirs(text))  # a line wrapped inside a segment: see the divergences


def test_generated_benchmark_interchange_reads_the_same_as_pydifact():
    from bench.generate import generate

    data = generate(200_000, seed=7)
    assert ours(data) == theirs(data.decode("latin-1"))


# -- hypothesis: generated interchanges ---------------------------------------------------------

PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~"
TAGS = st.from_regex(r"[A-Z][A-Z0-9]{2}", fullmatch=True).filter(lambda t: t not in ("UNA", "UNB"))


@st.composite
def delimiters(draw):
    if draw(st.booleans()):
        return None  # no UNA: ":+.? '"
    chars = draw(st.lists(st.sampled_from(PUNCTUATION), min_size=4, max_size=4, unique=True))
    return {"component": chars[0], "element": chars[1], "release": chars[2], "segment": chars[3]}


def escape(value, d):
    out = []
    for ch in value:
        if ch in (d["component"], d["element"], d["release"], d["segment"]):
            out.append(d["release"])
        out.append(ch)
    return "".join(out)


@st.composite
def interchanges(draw):
    d = draw(delimiters())
    una = d is not None
    if d is None:
        d = {"component": ":", "element": "+", "release": "?", "segment": "'"}
    text_chars = st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from(list(d.values()))
    component = st.text(text_chars, max_size=6)
    element = st.lists(component, min_size=1, max_size=4)
    segment = st.tuples(TAGS, st.lists(element, min_size=1, max_size=5))
    segments = draw(st.lists(segment, min_size=1, max_size=8))
    gap = draw(st.sampled_from(["", "\n", "\r\n"]))
    parts = ["UNB" + d["element"] + "UNOB" + d["component"] + "3" + d["segment"]]
    for tag, elements in segments:
        body = d["element"].join(d["component"].join(escape(c, d) for c in e) for e in elements)
        parts.append(tag + d["element"] + body + d["segment"])
    head = f"UNA{d['component']}{d['element']}.{d['release']} {d['segment']}" if una else ""
    return head + gap.join(parts), segments


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(interchanges())
def test_generated_interchanges_read_the_same_as_pydifact(case):
    text, segments = case
    mine = ours(text)
    assert mine == theirs(text)
    # and both give back what was written (after pydifact's normalisation)
    assert mine[1:] == [(tag, [pydifact_shape(e) for e in elements]) for tag, elements in segments]


@settings(max_examples=100, deadline=None)
@given(interchanges())
def test_bytes_and_text_and_stream_give_the_same_segments(case):
    import io

    text, _ = case
    data = text.encode("latin-1")
    assert ours(text) == ours(data) == ours(io.BytesIO(data))


# -- documented divergences ---------------------------------------------------------------------


def test_divergence_leading_bom_pydifact_fails_we_skip_it():
    data = BOM + b"UNB+UNOA:2+S+R+200101:1200+1'"
    assert ours(data)[0][0] == "UNB"
    with pytest.raises(Exception):  # noqa: B017 - pydifact raises its EDISyntaxError or ValueError
        theirs(data.decode("utf-8"))


def test_divergence_repetition_separator_in_syntax_version_4():
    text = "UNB+UNOA:4+S+R+20200101:1200+1'LOC+9+A*B'"
    [_, loc] = list(iter_segments(text))
    assert loc.elements[1] == Repetitions([["A"], ["B"]])  # ISO 9735 v4: '*' repeats the element
    assert theirs(text)[1] == ("LOC", ["9", "A*B"])  # pydifact: plain data


def test_divergence_release_before_line_feed():
    text = "UNB+UNOA:3+S+R+200101:1200+1'FTX+AAI+++A?\nB'"
    assert ours(text)[1] == ("FTX", ["AAI", "", "", "A\nB"])
    with pytest.raises(Exception):  # noqa: B017 - pydifact: "Newlines after escape characters are not allowed"
        theirs(text)


def test_divergence_empty_segment():
    text = "UNB+UNOA:3+S+R+200101:1200+1''BGM+1'"
    issues = []
    segs = list(iter_segments(text, issues=issues))
    assert [s.tag for s in segs] == ["UNB", "BGM"] and [i.code for i in issues] == ["13"]
    with pytest.raises(Exception):  # noqa: B017 - pydifact glues the stray terminator to the next tag and fails
        theirs(text)


def test_divergence_una_in_the_middle_is_a_segment_to_us():
    text = "UNB+UNOA:3+S+R+200101:1200+1'UNA:+.? 'BGM+1'"
    assert [t for t, _ in ours(text)] == ["UNB", "UNA", "BGM"]
    assert [t for t, _ in theirs(text)] == ["BGM"]  # pydifact drops what came before it


def test_divergence_line_break_inside_a_segment():
    text = "UNB+UNOA:3+S+R+200101:1200+1'FTX+AAI+++WRAPPED BY A FIXED\r\nRECORD LENGTH'"
    assert ours(text)[1] == ("FTX", ["AAI", "", "", "WRAPPED BY A FIXEDRECORD LENGTH"])
    assert theirs(text)[1] == ("FTX", ["AAI", "", "", "WRAPPED BY A FIXED\r\nRECORD LENGTH"])
