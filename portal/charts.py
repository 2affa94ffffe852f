"""Server-rendered SVG pictures: stacked bars, hourly columns and a container's journey strip.

No JavaScript and no chart library: each function returns safe SVG markup with a ``<title>``
and ``<desc>`` (``role="img"``), colours with at least 3:1 contrast on white, and text in the
page's font. The pages put the same numbers in a table beside each chart for screen readers.

    >>> bars(_("Containers by status"), ["Loaded", "Discharged"], [Series("n", [3, 1])])
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#0b5cad", "#b45309", "#15803d", "#b91c1c", "#6d28d9", "#0f766e", "#4a5563", "#a21caf"]
_ids = count(1)


def _n(value: float) -> str:
    """A coordinate with one decimal, as text (format_html escapes its arguments before formatting)."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Series:
    label: str
    values: list[int]
    color: str = ""


def colour(series: list[Series]) -> list[Series]:
    """The series with a palette colour each, where none is given."""
    return [Series(s.label, s.values, s.color or PALETTE[i % len(PALETTE)]) for i, s in enumerate(series)]


def _frame(title: str, desc: str, width: int, height: int, body: SafeString) -> SafeString:
    uid = next(_ids)
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="c{u}t c{u}d" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="c{u}t">{t}</title><desc id="c{u}d">{d}</desc>{b}</svg>',
        w=width,
        h=height,
        u=uid,
        t=title,
        d=desc,
        b=body,
    )


def _legend(series: list[Series], y: int, x0: int = 0) -> SafeString:
    parts, x = [], x0
    for s in series:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" class="lg">{}</text>',
                x,
                y,
                s.color,
                x + 16,
                y + 11,
                s.label,
            )
        )
        x += 28 + 8 * len(s.label)
    return mark_safe("".join(parts))  # noqa: S308 (each part built by format_html)


def _text_width(text: str) -> float:
    """Rough width of ``text`` at 13px: wide (CJK) characters count double."""
    return sum(13 if ord(c) > 0x2E80 else 7 for c in text)


def _fit(text: str, room: float) -> str:
    """``text`` cut with an ellipsis to fit ``room`` pixels."""
    if _text_width(text) <= room:
        return text
    while text and _text_width(text + "…") > room:
        text = text[:-1]
    return text + "…"


def bars(title: str, desc: str, categories: list[str], series: list[Series], width: int = 480) -> SafeString:
    """Horizontal stacked bars: one row per category, one segment per series, the total at the end.

    The label column is as wide as the longest label, up to 40% of the chart; a longer label
    is cut with an ellipsis and keeps its full text as a tooltip.
    """
    series = colour(series)
    longest = max((_text_width(c) for c in categories), default=0)
    label_w, row_h, top = int(min(max(longest + 12, 60), width * 0.4)), 26, 8
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = max(totals, default=0) or 1
    scale = (width - label_w - 50) / peak
    parts = []
    for i, category in enumerate(categories):
        y, x = top + i * row_h, label_w
        parts.append(
            format_html(
                '<text x="{}" y="{}" class="ax" text-anchor="end"><title>{}</title>{}</text>',
                label_w - 6,
                y + 15,
                category,
                _fit(category, label_w - 8),
            )
        )
        for s in series:
            w = s.values[i] * scale
            if w > 0:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="18" fill="{}"><title>{}: {}</title></rect>',
                        _n(x),
                        y + 2,
                        _n(w),
                        s.color,
                        s.label,
                        s.values[i],
                    )
                )
                x += w
        parts.append(format_html('<text x="{}" y="{}" class="ax">{}</text>', _n(x + 4), y + 15, totals[i]))
    height = top + len(categories) * row_h + 8
    if len(series) > 1:
        parts.append(_legend(series, height, label_w))
        height += 22
    return _frame(title, desc, width, height, mark_safe("".join(parts)))  # noqa: S308


def columns(
    title: str, desc: str, labels: list[str], series: list[Series], width: int = 720, stamps: list[str] | None = None
) -> SafeString:
    """Vertical stacked columns over time (e.g. 24 hours), axis labels every few columns.

    ``stamps`` (ISO 8601 UTC, one per column) mark the axis labels as hours for the reader's
    clock: ``localtime.js`` rewrites them in the browser's time zone.
    """
    series = colour(series)
    left, top, plot_h = 36, 10, 160
    n = max(len(labels), 1)
    step = (width - left - 8) / n
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = max(totals, default=0) or 1
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>', left, top + plot_h, width - 8, top + plot_h
        ),
        format_html('<text x="{}" y="{}" class="ax" text-anchor="end">{}</text>', left - 4, top + 10, peak),
        format_html('<text x="{}" y="{}" class="ax" text-anchor="end">0</text>', left - 4, top + plot_h),
    ]
    every = max(1, n // 8)
    for i, label in enumerate(labels):
        x, base = left + i * step, top + plot_h
        for s in series:
            h = s.values[i] / peak * plot_h
            if h > 0:
                base -= h
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}: {}</title></rect>',
                        _n(x + 1),
                        _n(base),
                        _n(max(step - 2, 1)),
                        _n(h),
                        s.color,
                        label,
                        s.label,
                        s.values[i],
                    )
                )
        if i % every == 0:
            stamp = stamps[i] if stamps else ""
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="ax"{}>{}</text>',
                    _n(x),
                    top + plot_h + 16,
                    format_html(' data-local-hour="{}"', stamp) if stamp else "",
                    label,
                )
            )
    height = top + plot_h + 26
    parts.append(_legend(series, height, left))
    return _frame(title, desc, width, height + 22, mark_safe("".join(parts)))  # noqa: S308


def journey(title: str, desc: str, stops: list[tuple[str, str, bool]], width: int = 640) -> SafeString:
    """A container's journey as a strip: each port a circle on a line, reached ones filled.

    ``stops`` is ``[(port, caption, reached), ...]`` in journey order.
    """
    n = max(len(stops), 1)
    pad = 60
    step = (width - 2 * pad) / max(n - 1, 1)
    y = 34
    parts = [format_html('<line x1="{}" y1="{}" x2="{}" y2="{}" class="route"/>', pad, y, width - pad, y)]
    for i, (port, caption, reached) in enumerate(stops):
        x = pad + i * step if n > 1 else width / 2
        anchor, text_x = _label_anchor(i, n, x)
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="9" class="{}"/>'
                '<text x="{}" y="{}" text-anchor="{}" class="port">{}</text>'
                '<text x="{}" y="{}" text-anchor="{}" class="ax">{}</text>',
                _n(x),
                y,
                "stop done" if reached else "stop",
                _n(text_x),
                y + 28,
                anchor,
                port,
                _n(text_x),
                y + 46,
                anchor,
                caption,
            )
        )
    return _frame(title, desc, width, 92, mark_safe("".join(parts)))  # noqa: S308


def _label_anchor(index: int, count: int, x: float) -> tuple[str, float]:
    """Where a stop's labels hang: the first from its circle rightwards, the last leftwards, so that
    a long port name ("Shanghai (CNSHA)") stays inside the picture; the others centred."""
    if count > 1 and index == 0:
        return "start", x - 9
    if count > 1 and index == count - 1:
        return "end", x + 9
    return "middle", x


def table_rows(categories: list[str], series: list[Series]) -> SafeString:
    """``<tr>`` rows of the numbers behind a chart (category, then one cell per series)."""
    rows = []
    for i, category in enumerate(categories):
        cells = format_html_join("", "<td>{}</td>", ((s.values[i],) for s in series))
        rows.append(format_html('<tr><th scope="row">{}</th>{}</tr>', category, cells))
    return mark_safe("".join(rows))  # noqa: S308
