"""Charts drawn on the server as inline SVG: no chart library, no build step.

Every chart prints its numbers beside its marks and shades in grey, so it reads without colour;
templates put a table of the same numbers under each. Values are given by the caller already
formatted as text, so a chart never decides how a figure is rounded.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

ROW = 26  # height of a bar or heatmap row, in SVG units
LABEL_WIDTH = 200
CHARACTER = 7.5  # about the width of a character of the 12px chart font


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown


def bar_chart(bars: Sequence[Bar], *, title: str, width: int = 520) -> SafeString:
    """Horizontal bars, one row each, scaled to the largest value, the value printed after."""
    top = max((bar.value for bar in bars), default=0) or 1
    room = width - LABEL_WIDTH - 70
    rows = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="17" text-anchor="end">{}</text>'
        '<rect x="{}" y="4" width="{}" height="{}" class="bar"></rect>'
        '<text x="{}" y="17">{}</text></g>',
        (
            (
                index * ROW,
                LABEL_WIDTH - 8,
                bar.label,
                LABEL_WIDTH,
                round(room * bar.value / top, 1),
                ROW - 8,
                LABEL_WIDTH + round(room * bar.value / top, 1) + 6,
                bar.text,
            )
            for index, bar in enumerate(bars)
        ),
    )
    return _svg(title, width, max(len(bars), 1) * ROW, rows)


def line_chart(
    points: Sequence[tuple[str, float | None, str]], *, title: str, width: int = 520
) -> SafeString:
    """Values between 0 and 1 over ordered steps (label, value or None, value as text); a None
    breaks the line. Each point carries its value."""
    height, left, bottom, top_margin = 180, 40, 30, 14
    plot_height = height - bottom - top_margin
    step = (width - left - 20) / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return round(left + index * step, 1)

    def y(value: float) -> float:
        return round(top_margin + (1 - value) * plot_height, 1)

    axis = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"></line>'
        '<text x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (left, width - 10, y(level), y(level), left - 6, y(level) + 4, f"{level:.1f}")
            for level in (0, 0.5, 1)
        ),
    )
    segments, current = [], []
    for index, (_, value, _) in enumerate(points):
        if value is None:
            segments.append(current)
            current = []
        else:
            current.append(f"{x(index)},{y(value)}")
    segments.append(current)
    lines = format_html_join(
        "",
        '<polyline points="{}" class="line"></polyline>',
        ((" ".join(s),) for s in segments if len(s) > 1),
    )
    marks = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="4" class="point"></circle>'
        '<text x="{}" y="{}" text-anchor="middle" class="point-value">{}</text>',
        (
            (x(i), y(value), x(i), y(value) - 8, text)
            for i, (_, value, text) in enumerate(points)
            if value is not None
        ),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        ((x(i), height - 8, label) for i, (label, _, _) in enumerate(points)),
    )
    return _svg(title, width, height, axis + lines + marks + labels)


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Sequence[Sequence[tuple[float | None, str]]],
    *,
    title: str,
) -> SafeString:
    """A grid of (shade from 0 to 1 or None, text) cells; darker is more, the text says how
    much. An empty cell (None) is left white."""
    header = 24
    size = max(64, round(CHARACTER * max(map(len, map(_short, columns)), default=0)) + 12)
    width = LABEL_WIDTH + size * len(columns)
    height = header + ROW * len(rows)
    heads = format_html_join(
        "",
        '<text x="{}" y="16" text-anchor="middle">{}</text>',
        ((LABEL_WIDTH + size * i + size / 2, _short(name)) for i, name in enumerate(columns)),
    )
    names = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end">{}</text>',
        ((LABEL_WIDTH - 8, header + ROW * i + 17, _short(name)) for i, name in enumerate(rows)),
    )
    body = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="cell" fill-opacity="{}"></rect>'
        '<text x="{}" y="{}" text-anchor="middle" class="{}">{}</text>',
        (
            (
                LABEL_WIDTH + size * j,
                header + ROW * i,
                size - 2,
                ROW - 2,
                0 if shade is None else round(0.08 + 0.8 * max(0.0, min(shade, 1.0)), 3),
                LABEL_WIDTH + size * j + size / 2,
                header + ROW * i + 17,
                "on-dark" if shade is not None and shade > 0.55 else "on-light",
                text,
            )
            for i, row in enumerate(cells)
            for j, (shade, text) in enumerate(row)
        ),
    )
    return _svg(title, width, height, heads + names + body)


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _svg(title: str, width: int, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        title,
        body if body else mark_safe(""),
    )
