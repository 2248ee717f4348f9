"""Bar charts as inline SVG, drawn on the server.

The commune office may be offline, so the dashboard cannot load a chart library from a CDN,
and a JavaScript bundle would be one more thing to ship and audit. A bar chart is a few
rectangles: drawing them here keeps the page a plain document that prints, saves and
screenshots exactly as shown. Text is escaped because bar labels are village and volunteer
names typed on the laptops.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

WIDTH = 640
BAR_COLOUR = "#2a6f97"
GRID_COLOUR = "#d9dee3"
TEXT_COLOUR = "#1f2933"


def _nice_ceiling(value: int) -> int:
    """The smallest 1/2/5 × 10^n at or above `value`, so grid lines fall on round numbers."""
    if value <= 0:
        return 1
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale >= value:
                return step * scale
        scale *= 10


def column_chart(title: str, bars: Sequence[tuple[str, int]], height: int = 220) -> Markup:
    """Vertical bars with their label underneath, e.g. visits per week (oldest first)."""
    top, bottom, left, right = 16, 40, 36, 8
    plot_h = height - top - bottom
    plot_w = WIDTH - left - right
    peak = _nice_ceiling(max((v for _, v in bars), default=0))
    slot = plot_w / max(len(bars), 1)
    parts = [_open(title, height)]
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID_COLOUR}"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="11">{round(peak * fraction)}</text>')
    for index, (label, value) in enumerate(bars):
        bar_h = plot_h * value / peak
        x = left + index * slot + slot * 0.15
        y = top + plot_h - bar_h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{bar_h:.1f}" fill="{BAR_COLOUR}"><title>{escape(label)}: '
                     f'{value}</title></rect>')
        if value:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" '
                         f'text-anchor="middle" font-size="11">{value}</text>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle" font-size="11">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def row_chart(title: str, bars: Sequence[tuple[str, int]]) -> Markup:
    """Horizontal bars with the label on the left: long names (villages, volunteers) stay
    readable, which they would not under a vertical bar."""
    row_h, label_w, right = 24, 200, 48
    height = max(len(bars), 1) * row_h + 8
    peak = _nice_ceiling(max((v for _, v in bars), default=0))
    plot_w = WIDTH - label_w - right
    parts = [_open(title, height)]
    for index, (label, value) in enumerate(bars):
        y = 4 + index * row_h
        bar_w = plot_w * value / peak
        shown = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end" '
                     f'font-size="12">{escape(shown)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w:.1f}" height="{row_h - 8}" '
                     f'fill="{BAR_COLOUR}"><title>{escape(label)}: {value}</title></rect>')
        parts.append(f'<text x="{label_w + bar_w + 6:.1f}" y="{y + 16}" '
                     f'font-size="12">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(title: str, height: int) -> str:
    return (f'<svg class="chart" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'xmlns="http://www.w3.org/2000/svg" font-family="inherit" fill="{TEXT_COLOUR}">'
            f"<title>{escape(title)}</title>")
