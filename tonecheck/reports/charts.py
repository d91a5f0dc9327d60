"""Hand-built inline SVG charts: no JavaScript, no fonts to embed, legible in print.

Every label is escaped here; the caller puts a table of the same numbers beneath
each chart, so the SVG is one labelled image for a screen reader.
Colours differ in lightness as well as hue and series differ in dash pattern, so a
chart reads the same printed in greyscale.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 640
INK = "#1f1f1f"
GRID = "#c8c8c8"
SERIES = (("#1d4e89", ""), ("#c05600", "6 4"), ("#5a7d2a", "2 3"), ("#7a3b8f", "8 3 2 3"))
POSITIVE, NEGATIVE = "#1d4e89", "#b3261e"


def _svg(title: str, height: int, body: list[str]) -> Markup:
    label = f"{title}. The numbers are in the table below."
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="sans-serif" font-size="12" '
        f'fill="{INK}">{"".join(body)}</svg>'
    )


def _text(x: float, y: float, value: str, anchor: str = "start", weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{bold}>{escape(value)}</text>'


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def empty_chart(title: str, message: str) -> Markup:
    return _svg(title, 40, [_text(WIDTH / 2, 24, message, "middle")])


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float | None]],
    max_value: float | None = None,
    signed: bool = False,
) -> Markup:
    """Horizontal bars, one per item; with negative values the bars grow both ways from zero."""
    if not items:
        return empty_chart(title, "nothing to show")
    values = [v or 0.0 for _, v in items]
    top = max_value if max_value is not None else max(max(values), 1.0)
    low = min(0.0, min(values))
    left, right, row = 190, 60, 24
    span = WIDTH - left - right
    scale = span / ((top - low) or 1.0)
    zero = left + (-low) * scale
    height = row * len(items) + 14
    body = [
        f'<line x1="{zero:.1f}" y1="4" x2="{zero:.1f}" y2="{height - 6}" stroke="{INK}"/>',
    ]
    for index, ((label, value), number) in enumerate(zip(items, values, strict=True)):
        y = 6 + index * row
        x, width = (
            (zero, number * scale) if number >= 0 else (zero + number * scale, -number * scale)
        )
        colour = NEGATIVE if number < 0 else POSITIVE
        body.append(_text(left - 8, y + 14, _short(label), "end"))
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="{max(width, 0.5):.1f}" height="{row - 8}" '
            f'fill="{colour}"/>'
        )
        shown = "–" if value is None else (f"{number:+.1f}" if signed else f"{number:g}")
        # A negative bar's number goes right of the zero line, clear of the label on the left.
        after = x + width + 6 if number >= 0 else zero + 6
        body.append(_text(after, y + 14, shown))
    return _svg(title, height, body)


def column_chart(title: str, labels: Sequence[str], values: Sequence[int]) -> Markup:
    """Vertical bars over labelled bands, e.g. a score distribution."""
    if not any(values):
        return empty_chart(title, "nothing to show")
    left, bottom, top_pad, height = 44, 36, 16, 220
    plot = height - bottom - top_pad
    step = (WIDTH - left - 10) / len(values)
    peak = _nice(max(values))
    body = _y_axis(left, top_pad, plot, peak)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar = plot * value / peak
        x = left + index * step + 3
        body.append(
            f'<rect x="{x:.1f}" y="{top_pad + plot - bar:.1f}" width="{step - 6:.1f}" '
            f'height="{max(bar, 0.5):.1f}" fill="{POSITIVE}"/>'
        )
        body.append(_text(x + (step - 6) / 2, top_pad + plot - bar - 4, str(value), "middle"))
        body.append(_text(x + (step - 6) / 2, height - bottom + 16, label, "middle"))
    return _svg(title, height, body)


def _nice(peak: float) -> float:
    """The smallest of 1, 2, 4, 5, 10 times a power of ten at or above `peak`: even quarters."""
    peak, scale = max(peak, 4.0), 1.0
    while scale * 10 < peak:
        scale *= 10
    return next(scale * f for f in (1, 2, 4, 5, 10) if scale * f >= peak)


def _y_axis(left: float, top: float, plot: float, peak: float) -> list[str]:
    body = []
    for fraction in (0.0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot * (1 - fraction)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        body.append(_text(left - 6, y + 4, f"{peak * fraction:g}", "end"))
    return body


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    y_max: float = 100.0,
) -> Markup:
    """One line per series over shared x labels (weeks); gaps where a value is missing."""
    if not x_labels:
        return empty_chart(title, "no dates to draw a trend from")
    left, top, plot, legend_row = 44, 14, 180, 18
    legend_height = legend_row * len(series) + 6
    height = top + plot + 34 + legend_height
    step = (WIDTH - left - 44) / max(1, len(x_labels) - 1)
    body = _y_axis(left, top, plot, y_max)
    every = max(1, len(x_labels) // 8)
    for index, label in enumerate(x_labels):
        if index % every == 0:
            body.append(_text(left + index * step, top + plot + 18, label, "middle"))
    for number, (name, values) in enumerate(series):
        colour, dash = SERIES[number % len(SERIES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        points = [
            (left + i * step, top + plot * (1 - v / y_max))
            for i, v in enumerate(values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dashed}/>'
            )
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in points]
        y = top + plot + 34 + number * legend_row + 8
        body.append(
            f'<line x1="{left}" y1="{y}" x2="{left + 30}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2.5"{dashed}/>'
        )
        body.append(_text(left + 38, y + 4, name))
    return _svg(title, height, body)
