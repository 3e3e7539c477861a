"""Accessible bar charts drawn on the server as SVG: a title, a description, and the same
numbers always shown in a table next to them."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Distinguishable colours with ≥ 3:1 contrast against white (WCAG 1.4.11).
PALETTE = ["#005eb8", "#007f3b", "#8a1538", "#330072", "#7c2855", "#4c6272", "#ad5700", "#00703c"]


def _n(value: float) -> str:
    return f"{value:.1f}"


def _svg_start(chart_id: str, width: int, height: int, title: str, description: str) -> str:
    """The opening <svg> with the title and description a screen reader announces."""
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>',
        id=chart_id,
        w=width,
        h=height,
        title=title,
        desc=description,
    )


def stacked_bar_chart(
    *, chart_id: str, title: str, description: str, categories: list[str], series: list[dict]
) -> str:
    """series: [{"label": str, "values": [number per category]}]. Returns SVG markup."""
    width, height = 640, 300
    left, right, top, bottom = 40, 10, 20, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s["values"][i] for s in series) for i in range(len(categories))]
    peak = max(totals + [1])
    bar_w = plot_w / max(len(categories), 1)
    parts = [
        _svg_start(chart_id, width, height, title, description),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#212b32"/>',
            left,
            top + plot_h,
            left + plot_w,
            top + plot_h,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#212b32">{}</text>',
            left - 4,
            top + 10,
            peak,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#212b32">0</text>',
            left - 4,
            top + plot_h,
        ),
    ]
    for i, category in enumerate(categories):
        y = top + plot_h
        for s_index, s in enumerate(series):
            value = s["values"][i]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {}</title></rect>",
                    _n(left + i * bar_w + 2),
                    _n(y),
                    _n(max(bar_w - 4, 1)),
                    _n(h),
                    PALETTE[s_index % len(PALETTE)],
                    s["label"],
                    value,
                )
            )
        if len(categories) <= 16:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#212b32">'
                    "{}</text>",
                    _n(left + i * bar_w + bar_w / 2),
                    top + plot_h + 14,
                    category,
                )
            )
    legend_y = height - 20
    x = left
    for s_index, s in enumerate(series):
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="#212b32">{}</text>',
                x,
                legend_y,
                PALETTE[s_index % len(PALETTE)],
                x + 16,
                legend_y + 11,
                s["label"],
            )
        )
        x += 30 + 7 * len(str(s["label"]))
    parts.append(mark_safe("</svg>"))  # noqa: S308 - constant markup
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part built with format_html


__all__ = ["stacked_bar_chart", "escape"]


def horizontal_bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: list[tuple[str, float]],
    value_format: str = "{:g}",
    max_value: float | None = None,
) -> str:
    """One bar per (label, value), longest first as given. Returns SVG markup."""
    row_h, label_w, width = 28, 240, 640
    height = max(len(bars), 1) * row_h + 20
    peak = max_value or max([v for _, v in bars] + [1])
    plot_w = width - label_w - 70
    parts = [_svg_start(chart_id, width, height, title, description)]
    for i, (label, value) in enumerate(bars):
        y = 10 + i * row_h
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" text-anchor="end" fill="#212b32">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#005eb8"/>'
                '<text x="{}" y="{}" font-size="13" fill="#212b32">{}</text>',
                label_w - 8,
                y + 17,
                short,
                label_w,
                y + 4,
                _n(plot_w * value / peak if peak else 0),
                row_h - 8,
                _n(label_w + plot_w * value / peak + 6 if peak else label_w + 6),
                y + 17,
                value_format.format(value),
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - constant markup
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part built with format_html
