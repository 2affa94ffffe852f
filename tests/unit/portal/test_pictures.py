"""Server-rendered SVG pictures and local times: labelled, escaped, in the place's offset."""

from datetime import UTC, datetime

from portal import charts
from portal.localtime import local_time, offset_label


def test_a_bar_chart_is_an_labelled_image_with_escaped_text():
    svg = str(charts.bars("By <status>", "desc", ["<b>x</b>", "y"], [charts.Series("n", [3, 1])]))
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg
    assert "<title id=" in svg and "&lt;status&gt;" in svg and "&lt;b&gt;" in svg and "<b>" not in svg


def test_stacked_columns_draw_one_rect_per_non_zero_value_and_a_legend():
    svg = str(charts.columns("t", "d", ["00:00", "01:00"], [charts.Series("ok", [1, 0]), charts.Series("bad", [2, 2])]))
    assert svg.count("<rect") == 3 + 2  # three bars, two legend keys


def test_the_journey_strip_fills_the_ports_reached():
    svg = str(charts.journey("t", "d", [("CNSHA", "Loaded", True), ("NLRTM", "expected", False)]))
    assert svg.count('class="stop done"') == 1 and svg.count('class="stop"') == 1
    assert svg.index("CNSHA") < svg.index("NLRTM")


def test_the_first_and_last_ports_labels_hang_inwards_so_long_names_stay_in_the_picture():
    stops = [("Shanghai (CNSHA)", "Loaded", True), ("Busan (KRPUS)", "", True), ("Rotterdam (NLRTM)", "", False)]
    svg = str(charts.journey("t", "d", stops))
    anchors = [part.split('"')[0] for part in svg.split('text-anchor="')[1:]]
    assert anchors == ["start", "start", "middle", "middle", "end", "end"]
    assert str(charts.journey("t", "d", stops[:1])).count('text-anchor="middle"') == 2  # one stop: centred


def test_the_place_wins_over_the_offset_a_partner_elsewhere_stated():
    at = datetime(2026, 11, 25, 0, 12, tzinfo=UTC)
    assert local_time(at, "NLRTM", "2026-11-25T08:12:00+08:00").isoformat() == "2026-11-25T01:12:00+01:00"


def test_the_country_of_the_un_locode_gives_the_zone_when_no_offset_is_stated():
    at = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert offset_label(local_time(at, "NLRTM")) == "UTC+02:00"  # summer time in Rotterdam
    assert offset_label(local_time(at, "CNSHA")) == "UTC+08:00"
    assert offset_label(local_time(at, "XXABC")) == "UTC"


def test_a_long_bar_label_is_cut_to_fit_and_keeps_its_full_text_as_a_tooltip():
    name = "Yangshan Phase IV Automated Container Terminal of Shanghai"
    svg = str(charts.bars("t", "d", [name, "x"], [charts.Series("n", [3, 1])], width=480))
    assert f"<title>{name}</title>" in svg and "…</text>" in svg
    label = svg[svg.index(f"<title>{name}</title>") + len(name) + 15 : svg.index("…</text>")]
    assert len(label) < len(name) and name.startswith(label)


def test_hour_labels_carry_their_utc_moment_for_the_readers_clock():
    stamps = ["2026-12-04T18:00:00Z", "2026-12-04T19:00:00Z"]
    svg = str(charts.columns("t", "d", ["18:00", "19:00"], [charts.Series("ok", [1, 2])], stamps=stamps))
    assert 'data-local-hour="2026-12-04T18:00:00Z">18:00</text>' in svg
