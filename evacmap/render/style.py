"""Map style: colours and sizes, and the square-root scales that turn counts into pixels.

Everything a map shows about size goes through :class:`MapStyle`: flow widths and
place radii grow with the square root of the count, so areas, not lengths, compare.
The style is a frozen value passed to :func:`evacmap.render.render_map`; there is no
module-level setting to change.

Examples
--------
>>> s = MapStyle()
>>> s.flow_width_px(450, vmax=450) == s.max_width_px
True
>>> legend_values(450)
[400, 100, 20]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields

from evacmap.errors import InputError

__all__ = ["MapStyle", "legend_values", "nice_floor"]

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class MapStyle:
    """Display-only settings of a flow map: colours (``#rrggbb``) and sizes (CSS pixels).

    Parameters
    ----------
    moved_colour
        Flows of people who moved (reported or estimated counts).
    planned_colour, planned_core_colour
        Outline and inside of planned flows, drawn hollow: never added to what moved.
    cumulative_colour, cumulative_core_colour
        Outline and inside of cumulative totals, drawn hollow like planned ones.
    unknown_colour
        Flows whose count is unknown, drawn thin and dotted.
    place_colour
        Place circles.
    land_colour, border_colour, sea_colour
        The offline background.
    max_width_px, min_width_px
        Width of the largest flow, and the floor for small ones.
    max_radius_px, min_radius_px
        Radius of the place with the most people, and the floor for small ones.
    hollow_radius_px
        Radius of places known only as destinations of unsplit movements.
    opacity
        Opacity of flow lines.

    Examples
    --------
    >>> MapStyle(moved_colour="red")
    Traceback (most recent call last):
    ...
    evacmap.errors.InputError: `moved_colour` must be a colour written '#rrggbb', got 'red' (str).
    """

    moved_colour: str = "#b2182b"
    planned_colour: str = "#d6730f"
    planned_core_colour: str = "#fdf1de"
    cumulative_colour: str = "#5e3c99"
    cumulative_core_colour: str = "#efeaf7"
    unknown_colour: str = "#55595e"
    place_colour: str = "#243447"
    land_colour: str = "#e4e3de"
    border_colour: str = "#ffffff"
    sea_colour: str = "#d7e4ec"
    max_width_px: float = 16.0
    min_width_px: float = 2.0
    max_radius_px: float = 14.0
    min_radius_px: float = 4.0
    hollow_radius_px: float = 5.0
    opacity: float = 0.9

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_colour"):
                if not isinstance(value, str) or not _COLOUR.match(value):
                    raise InputError(
                        f"`{f.name}` must be a colour written '#rrggbb', got {value!r} "
                        f"({type(value).__name__})"
                    )
            elif (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not (math.isfinite(value) and value > 0)
            ):
                raise InputError(
                    f"`{f.name}` must be a positive number, got {value!r} ({type(value).__name__})"
                )
        if self.min_width_px > self.max_width_px or self.min_radius_px > self.max_radius_px:
            raise InputError(
                "a minimum size is larger than its maximum",
                hint="keep min_width_px <= max_width_px and min_radius_px <= max_radius_px",
            )
        if self.opacity > 1:
            raise InputError(f"`opacity` must be at most 1, got {self.opacity!r}")

    def js_colours(self) -> dict[str, str]:
        """The palette as the plugin's layers read it (``options.colours``).

        Examples
        --------
        >>> MapStyle().js_colours()["moved"] == MapStyle().moved_colour
        True
        """
        return {
            "moved": self.moved_colour,
            "planned": self.planned_colour,
            "plannedCore": self.planned_core_colour,
            "cumulative": self.cumulative_colour,
            "cumulativeCore": self.cumulative_core_colour,
            "unknown": self.unknown_colour,
            "place": self.place_colour,
        }

    def flow_width_px(self, count: float, *, vmax: float) -> float:
        """Line width for `count` people: proportional to its square root.

        Parameters
        ----------
        count
            People in the flow (>= 0).
        vmax
            The largest count on the map; it gets :attr:`max_width_px`.

        Returns
        -------
        float
            Width in pixels, never below :attr:`min_width_px`.

        Examples
        --------
        >>> s = MapStyle(max_width_px=10, min_width_px=1)
        >>> s.flow_width_px(25, vmax=100)
        5.0
        >>> s.flow_width_px(0, vmax=0)
        1
        """
        if vmax <= 0 or count <= 0:
            return self.min_width_px
        return max(self.min_width_px, self.max_width_px * math.sqrt(count / vmax))

    def radius_px(self, people: float, *, pmax: float) -> float:
        """Circle radius for a place `people` passed through: its area grows with the count.

        Examples
        --------
        >>> MapStyle(max_radius_px=10, min_radius_px=2).radius_px(25, pmax=100)
        5.0
        >>> MapStyle().radius_px(0, pmax=0) == MapStyle().min_radius_px
        True
        """
        if pmax <= 0 or people <= 0:
            return self.min_radius_px
        return max(self.min_radius_px, self.max_radius_px * math.sqrt(people / pmax))


def nice_floor(value: float) -> int:
    """`value` rounded down to one significant digit: 450 -> 400, 1234 -> 1000.

    Examples
    --------
    >>> nice_floor(450), nice_floor(20000), nice_floor(7.9), nice_floor(0.5)
    (400, 20000, 7, 0)
    """
    if value < 1:
        return 0
    step = 10 ** math.floor(math.log10(value))
    return int(value // step * step)


def legend_values(vmax: float) -> list[int]:
    """Two or three round reference counts for the width legend, largest first.

    The largest is `vmax` rounded down to one significant digit; the others are
    about a quarter and a sixteenth of it (a half and a quarter of the width).

    Examples
    --------
    >>> legend_values(20000)
    [20000, 5000, 1000]
    >>> legend_values(3)
    [3]
    >>> legend_values(0)
    []
    """
    top = nice_floor(vmax)
    values: list[int] = []
    for v in (top, nice_floor(top / 4), nice_floor(top / 16)):
        if v >= 1 and v not in values:
            values.append(v)
    return values
