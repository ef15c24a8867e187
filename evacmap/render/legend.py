"""The legend of a flow map: reference widths with round numbers, and what each symbol means.

Only the symbols a map uses are listed. Every sample is a small inline SVG drawn with
the same widths and colours as the map, so the legend cannot drift from it.

Examples
--------
>>> html = legend_html(vmax=450, kinds={"moved"})
>>> html.count('class="evacmap-legend-width"')
3
>>> ">400<" in html and ">100<" in html and ">20<" in html
True
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Collection, Sequence

from evacmap.render.style import MapStyle, legend_values

__all__ = ["legend_html"]

_SAMPLE_W = 46  # width of a sample in pixels
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _row(svg: str, text: str, cls: str = "evacmap-legend-item") -> str:
    return f'<div class="{cls}">{svg}<span>{text}</span></div>'


def _svg(height: float, body: str) -> str:
    h = max(12, int(height + 4))
    return (
        f'<svg width="{_SAMPLE_W}" height="{h}" viewBox="0 0 {_SAMPLE_W} {h}" '
        f'aria-hidden="true">{body.format(y=h / 2, h=h)}</svg>'
    )


def _line(colour: str, width: float, *, dash: str = "", cap: str = "butt") -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="2" y1="{{y}}" x2="{_SAMPLE_W - 2}" y2="{{y}}" stroke="{colour}" '
        f'stroke-width="{width:.1f}" stroke-linecap="{cap}"{dash_attr}/>'
    )


def _arrow(colour: str) -> str:
    x = _SAMPLE_W - 2
    return (
        f'<line x1="2" y1="{{y}}" x2="{x - 9}" y2="{{y}}" stroke="{colour}" stroke-width="2.5"/>'
        f'<path d="M{x} {{y}} l-10 -5.5 v11 z" fill="{colour}"/>'
    )


def legend_html(
    *,
    vmax: float,
    kinds: Collection[str],
    unsplit: bool = False,
    unknown: bool = False,
    hollow_places: bool = False,
    approximate: bool = False,
    noun: str = "people",
    style: MapStyle | None = None,
    colours: Sequence[tuple[str, str]] = (),
    colour_title: str | None = None,
    capped: bool = False,
) -> str:
    """The legend's inner HTML.

    Parameters
    ----------
    vmax
        The count drawn with the widest line (as in the flow data).
    kinds
        Flow kinds on the map: ``"moved"``, ``"planned"``, ``"cumulative"``.
    unsplit
        Whether a movement is drawn as a fork (split between destinations not reported).
    unknown
        Whether a flow has no count.
    hollow_places
        Whether a place is drawn hollow (no count of people known there).
    approximate
        Whether a place has only an approximate location.
    noun
        What is counted; escaped here.
    style
        Sizes and colours (as used for the map).
    colours
        ``(colour, label)`` rows when flows are coloured by group or count (labels
        escaped here).
    colour_title
        Heading of those rows (escaped here).
    capped
        Whether sums above the largest reference are drawn at the widest line (canvas
        maps that sum flows at low zoom): the top reference then reads "or more".

    Returns
    -------
    str
        HTML; the only user text, `noun`, is escaped.

    Examples
    --------
    >>> "count unknown" in legend_html(vmax=0, kinds=(), unknown=True)
    True
    """
    style = style or MapStyle()
    noun_html = _html.escape(noun)
    parts = [f'<div class="evacmap-legend-title">{noun_html.capitalize()} (line width)</div>']
    for i, value in enumerate(legend_values(vmax)):
        w = style.flow_width_px(value, vmax=vmax)
        text = f"{value:,}" + (" or more" if capped and i == 0 else "")
        parts.append(_row(_svg(w, _line(style.moved_colour, w)), text, "evacmap-legend-width"))
    if colours:
        rows_c = [
            _row(_svg(6, _line(c, 5)), _html.escape(label)) for c, label in colours if _COLOUR.match(c)
        ]
        head = f'<div class="evacmap-legend-title">{_html.escape(colour_title or "Colour")}</div>'
        parts.append('<div class="evacmap-legend-section">' + head + "".join(rows_c) + "</div>")
    rows = []
    if "moved" in kinds:
        rows.append(_row(_svg(11, _arrow(style.moved_colour)), "moved (reported or estimated)"))
    if unsplit:
        fork = (
            f'<path d="M2 {{y}} H18" stroke="{style.moved_colour}" stroke-width="4" fill="none"/>'
            f'<path d="M18 {{y}} L{_SAMPLE_W - 3} 2 M18 {{y}} L{_SAMPLE_W - 3} {{h}}" '
            f'stroke="{style.moved_colour}" stroke-width="2" stroke-dasharray="4 3" fill="none"/>'
        )
        rows.append(_row(_svg(14, fork), "one total, split between destinations not reported"))
    for kind, colour, core in (
        ("planned", style.planned_colour, style.planned_core_colour),
        ("cumulative", style.cumulative_colour, style.cumulative_core_colour),
    ):
        if kind in kinds:
            band = _line(colour, 9) + _line(core, 5)
            rows.append(_row(_svg(9, band), f"{kind} (not added)"))
    if unknown:
        dots = _line(style.unknown_colour, 2.2, dash="0.1 5", cap="round")
        rows.append(_row(_svg(4, dots), "count unknown"))
    r = style.max_radius_px * 0.6
    rows.append(
        _row(
            _svg(
                2 * r,
                f'<circle cx="{_SAMPLE_W / 2}" cy="{{y}}" r="{r:.1f}" '
                f'fill="{style.place_colour}" fill-opacity="0.85" stroke="#fff"/>',
            ),
            f"place: area shows {noun_html} known to have passed through",
        )
    )
    if hollow_places:
        rows.append(
            _row(
                _svg(
                    12,
                    f'<circle cx="{_SAMPLE_W / 2}" cy="{{y}}" r="{style.hollow_radius_px}" '
                    f'fill="#fff" stroke="{style.place_colour}" stroke-width="1.6"/>',
                ),
                "place with no count of its own (e.g. one of several destinations)",
            )
        )
    if approximate:
        rows.append(
            _row(
                _svg(
                    12,
                    f'<circle cx="{_SAMPLE_W / 2}" cy="{{y}}" r="5" fill="none" '
                    f'stroke="{style.place_colour}" stroke-width="1.6" stroke-dasharray="2.5 2"/>',
                ),
                "dashed outline: approximate location",
            )
        )
    parts.append('<div class="evacmap-legend-section">' + "".join(rows) + "</div>")
    return "".join(parts)
