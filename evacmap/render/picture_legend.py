"""The legend of a static picture: the web legend's rows, drawn with matplotlib.

Rows and wording follow :func:`evacmap.render.legend.legend_html`; samples use the same
widths and colours as the picture (CSS pixels turned into points), so the legend
cannot drift from the map. All text is plain text: mathtext is off, so a noun such
as ``"$x$"`` is drawn as written.

Examples
--------
>>> rows = legend_rows(vmax=450, kinds={"moved"})
>>> [r.text for r in rows][:3]
['400', '100', '20']
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evacmap.render.style import MapStyle, legend_values

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["PT_PER_PX", "LegendRow", "draw_legend", "legend_height_in", "legend_rows"]

#: Points per CSS pixel (72 points and 96 CSS pixels to the inch).
PT_PER_PX = 0.75
_SAMPLE_W = 46.0  # px, as the web legend
_WRAP = 34  # characters per line of a legend entry


@dataclass(frozen=True, slots=True)
class LegendRow:
    """One legend entry: a sample symbol and its (plain) text.

    ``symbol`` is one of ``"width"``, ``"arrow"``, ``"fork"``, ``"band"``, ``"dots"``,
    ``"stub"``, ``"ring"``, ``"place"``, ``"hollow"``, ``"approximate"``, ``"swatch"`` (a
    colour of the colour legend), or ``"heading"`` and ``"note"`` (text only); ``width`` is the sample's line width
    in pixels, ``colour`` and ``core`` its colours.
    """

    symbol: str
    text: str
    width: float = 2.5
    colour: str = "#000000"
    core: str = "#ffffff"


def legend_rows(
    *,
    vmax: float,
    kinds: Collection[str],
    unsplit: bool = False,
    unknown: bool = False,
    hollow_places: bool = False,
    approximate: bool = False,
    stubs: bool = False,
    rings: bool = False,
    noun: str = "people",
    style: MapStyle | None = None,
) -> list[LegendRow]:
    """The rows of a picture's legend: reference widths first, then the symbols used.

    Parameters are those of :func:`evacmap.render.legend.legend_html`, and `stubs`
    and `rings`: whether a movement is drawn as a short stub (its other end not
    reported) or as a ring (within one place).

    Returns
    -------
    list of LegendRow
        Reference widths (``symbol == "width"``), then one row per symbol on the map.

    Examples
    --------
    >>> [r.symbol for r in legend_rows(vmax=0, kinds=(), unknown=True)]
    ['dots', 'place']
    """
    style = style or MapStyle()
    rows = [
        LegendRow("width", f"{value:,}", style.flow_width_px(value, vmax=vmax), style.moved_colour)
        for value in legend_values(vmax)
    ]
    if "moved" in kinds:
        rows.append(LegendRow("arrow", "moved (reported or estimated)", colour=style.moved_colour))
    if unsplit:
        rows.append(
            LegendRow(
                "fork", "one total, split between destinations not reported", colour=style.moved_colour
            )
        )
    for kind, colour, core in (
        ("planned", style.planned_colour, style.planned_core_colour),
        ("cumulative", style.cumulative_colour, style.cumulative_core_colour),
    ):
        if kind in kinds:
            rows.append(LegendRow("band", f"{kind} (not added)", 9.0, colour, core))
    if unknown:
        rows.append(LegendRow("dots", "count unknown", 2.2, style.unknown_colour))
    if stubs:
        rows.append(LegendRow("stub", "short stub: the other end was not reported", colour=style.moved_colour))
    if rings:
        rows.append(LegendRow("ring", "ring: moved within one place", colour=style.moved_colour))
    rows.append(
        LegendRow(
            "place", f"place: area shows {noun} known to have passed through", colour=style.place_colour
        )
    )
    if hollow_places:
        rows.append(
            LegendRow(
                "hollow",
                "place with no count of its own (e.g. one of several destinations)",
                colour=style.place_colour,
            )
        )
    if approximate:
        rows.append(
            LegendRow("approximate", "dashed outline: approximate location", colour=style.place_colour)
        )
    return rows


def legend_height_in(rows: list[LegendRow]) -> float:
    """About how tall the legend of `rows` is, in inches (so the picture can hold it).

    Examples
    --------
    >>> round(legend_height_in(legend_rows(vmax=450, kinds={"moved"})), 2)
    1.75
    """
    height = 0.45  # frame, padding and heading
    for row in rows:
        wrap = _WRAP + 6 if row.symbol == "note" else _WRAP
        lines = len(textwrap.wrap(row.text, wrap)) or 1 if row.symbol != "width" else 1
        height += 0.055 + max(0.15 * lines, 0.19 if row.symbol in ("width", "place") else 0.15)
    return height


def _sample(row: LegendRow, style: MapStyle) -> Any:
    from matplotlib.lines import Line2D
    from matplotlib.offsetbox import DrawingArea
    from matplotlib.patches import Circle, Polygon

    pt = PT_PER_PX
    w = _SAMPLE_W * pt
    if row.symbol == "width":
        h = max(12.0, row.width + 4) * pt
    elif row.symbol == "place":
        h = (2 * style.max_radius_px * 0.6 + 4) * pt
    else:
        h = 14 * pt
    area = DrawingArea(w, h, 0, 0)
    y = h / 2
    x0, x1 = 2 * pt, w - 2 * pt

    def line(xs: list[float], ys: list[float], colour: str, width: float, **kw: Any) -> None:
        area.add_artist(Line2D(xs, ys, color=colour, linewidth=width * pt, **kw))

    if row.symbol == "width":
        line([x0, x1], [y, y], row.colour, row.width, solid_capstyle="butt")
    elif row.symbol == "swatch":
        line([x0, x1], [y, y], row.colour, 5, solid_capstyle="butt")
    elif row.symbol == "arrow":
        line([x0, x1 - 9 * pt], [y, y], row.colour, 2.5, solid_capstyle="butt")
        tri = [[x1, y], [x1 - 10 * pt, y - 5.5 * pt], [x1 - 10 * pt, y + 5.5 * pt]]
        area.add_artist(Polygon(tri, closed=True, facecolor=row.colour, edgecolor="none"))
    elif row.symbol == "fork":
        fx = 18 * pt
        line([x0, fx], [y, y], row.colour, 4, solid_capstyle="butt")
        dashes = (0, (4 * pt / (2 * pt), 3 * pt / (2 * pt)))
        for yy in (h - 2 * pt, 2 * pt):
            line([fx, w - 3 * pt], [y, yy], row.colour, 2, linestyle=dashes)
    elif row.symbol == "band":
        line([x0, x1], [y, y], row.colour, 9, solid_capstyle="butt")
        line([x0, x1], [y, y], row.core, 5, solid_capstyle="butt")
    elif row.symbol == "dots":
        lw = row.width * pt
        line([x0, x1], [y, y], row.colour, row.width, linestyle=(0, (0.1 / lw, 5 * pt / lw)),
             dash_capstyle="round")
    elif row.symbol == "stub":
        area.add_artist(Circle((x0 + 5 * pt, y), 4 * pt, facecolor=style.place_colour, edgecolor="none"))
        line([x0 + 11 * pt, x1 - 14 * pt], [y, y], row.colour, 2.5, solid_capstyle="butt")
        tri = [[x1 - 6 * pt, y], [x1 - 15 * pt, y - 5 * pt], [x1 - 15 * pt, y + 5 * pt]]
        area.add_artist(Polygon(tri, closed=True, facecolor=row.colour, edgecolor="none"))
    elif row.symbol == "ring":
        from matplotlib.patches import Arc

        area.add_artist(Circle((w / 2 - 8 * pt, y - 2 * pt), 3.5 * pt, facecolor=style.place_colour, edgecolor="none"))
        area.add_artist(Arc((w / 2 + 2 * pt, y + 1 * pt), 12 * pt, 12 * pt, theta1=30, theta2=360,
                            color=row.colour, linewidth=2 * pt))
    elif row.symbol == "place":
        r = style.max_radius_px * 0.6 * pt
        area.add_artist(
            Circle((w / 2, y), r, facecolor=row.colour, alpha=0.85, edgecolor="#ffffff", linewidth=pt)
        )
    elif row.symbol == "hollow":
        area.add_artist(
            Circle((w / 2, y), style.hollow_radius_px * pt, facecolor="#ffffff",
                   edgecolor=row.colour, linewidth=1.6 * pt)
        )
    else:  # approximate
        area.add_artist(
            Circle((w / 2, y), 5 * pt, facecolor="none", edgecolor=row.colour, linewidth=1.6 * pt,
                   linestyle=(0, (2.5 / 1.6, 2 / 1.6)))
        )
    return area


def draw_legend(
    ax: Axes,
    rows: list[LegendRow],
    *,
    noun: str = "people",
    style: MapStyle | None = None,
    fontsize_pt: float = 8.5,
) -> Any:
    """Draw `rows` as a framed legend at the top left of `ax` (an axes with no axis).

    Parameters
    ----------
    ax
        The axes holding the legend.
    rows
        From :func:`legend_rows`.
    noun
        What is counted, for the heading (drawn as plain text).
    style
        Sizes and colours.
    fontsize_pt
        Text size.

    Returns
    -------
    matplotlib.offsetbox.AnchoredOffsetbox
        The legend, added to `ax`.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> box = draw_legend(ax, legend_rows(vmax=10, kinds={"moved"}))
    >>> box.get_children()[0].get_children()[0].get_text()
    'People (line width)'
    """
    from matplotlib.offsetbox import AnchoredOffsetbox, HPacker, TextArea, VPacker

    style = style or MapStyle()
    plain = {"parse_math": False, "usetex": False, "fontsize": fontsize_pt, "color": "#1c2733"}
    heading = TextArea(
        f"{noun[:1].upper()}{noun[1:]} (line width)", textprops={**plain, "fontweight": "bold"}
    )
    packed: list[Any] = [heading]
    for row in rows:
        text = textwrap.fill(row.text, _WRAP) if row.symbol != "width" else row.text
        if row.symbol == "heading":  # a section title, e.g. "Colour: largest group"
            packed.append(TextArea(text, textprops={**plain, "fontweight": "bold"}))
            continue
        if row.symbol == "note":  # e.g. what a cut left out
            packed.append(TextArea(textwrap.fill(row.text, _WRAP + 6), textprops={**plain, "fontstyle": "italic"}))
            continue
        label = TextArea(text, textprops=plain)
        packed.append(HPacker(children=[_sample(row, style), label], align="center", pad=0, sep=5))
    body = VPacker(children=packed, align="left", pad=0, sep=4)
    box = AnchoredOffsetbox(
        loc="upper left", child=body, pad=0.6, borderpad=0.0, frameon=True,
        bbox_to_anchor=(0, 1), bbox_transform=ax.transAxes,
    )
    box.patch.set_boxstyle("round,pad=0,rounding_size=0.4")
    box.patch.set_edgecolor("#c8ccd0")
    box.patch.set_facecolor("#ffffff")
    ax.add_artist(box)
    return box
