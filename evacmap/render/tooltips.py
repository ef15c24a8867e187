"""Tooltip and label text for flows and places, as HTML with every user string escaped.

Place names, sources, group names and the noun all come from untrusted text, so each
one goes through :func:`html.escape` here, before anything reaches the page; the
markup around them is ours.

Examples
--------
>>> from evacmap.model import Movement, Place
>>> a, b = Place("<b>A</b>", 35.0, 36.0), Place("B", 36.0, 37.0)
>>> movement_tooltip(Movement(a, (b,), count=3))
'<b>&lt;b&gt;A&lt;/b&gt; → B</b><br>3 people (reported)'
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from evacmap.model import CountKind, Movement, Place

__all__ = ["count_label", "count_text", "movement_tooltip", "place_label", "place_tooltip"]

_KIND_NOTE = {
    CountKind.REPORTED: "reported",
    CountKind.ESTIMATED: "estimated",
    CountKind.PLANNED: "planned, not added to the people who moved",
    CountKind.CUMULATIVE: "cumulative total, not added to the stages it contains",
}

_UNSPLIT_NOTE = "Split between destinations not reported."


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def count_text(m: Movement) -> str:
    """The short label of a flow as plain text (not escaped): ``"up to 20,000 planned"``.

    For pictures, where text is drawn as text; pages use :func:`count_label`.

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 0.0, 0.0), Place("B", 1.0, 1.0)
    >>> count_text(Movement(a, (b,), count_max=20000, count_kind="planned"))
    'up to 20,000 planned'
    >>> count_text(Movement(a, (b,)))
    ''
    """
    if m.people is None and m.count_min is None:  # nothing to say but "unknown"
        return ""
    text = m.count_label
    if m.count_kind in (CountKind.PLANNED, CountKind.CUMULATIVE):
        text = f"{text} {m.count_kind.value}"
    return text


def count_label(m: Movement) -> str:
    """The short label drawn on a flow, escaped: ``"450"``, ``"up to 20,000 planned"``, or ``""``.

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 0.0, 0.0), Place("B", 1.0, 1.0)
    >>> count_label(Movement(a, (b,), count_max=20000, count_kind="planned"))
    'up to 20,000 planned'
    >>> count_label(Movement(a, (b,)))
    ''
    """
    return _e(count_text(m))


def movement_tooltip(m: Movement, noun: str = "people") -> str:
    """HTML tooltip of a movement: route, count, kind, groups, date, stage, sources, evidence.

    Parameters
    ----------
    m
        The movement.
    noun
        What is counted ("people", "evacuees", ...).

    Returns
    -------
    str
        HTML whose every piece of user text is escaped.

    Examples
    --------
    >>> import datetime as dt
    >>> from evacmap.model import Movement, Place
    >>> o = Place("al-Waer", 34.747, 36.664)
    >>> ds = (Place("Idlib", 35.93, 36.63), Place("Jarablus", 36.82, 38.01))
    >>> m = Movement(o, ds, count=450, groups=(("fighters", 193),),
    ...              date_start=dt.date(2017, 5, 20), stage="final", sources=("Sputnik",))
    >>> print(movement_tooltip(m).replace("<br>", "\\n"))
    <b>al-Waer → Idlib, Jarablus</b>
    450 people (reported), including 193 fighters
    <i>Split between destinations not reported.</i>
    Date: 2017-05-20 · stage: final
    Source: Sputnik
    """
    origin = _e(m.origin.name) if m.origin is not None else "?"
    route = f"{origin} → {', '.join(_e(d.name) for d in m.destinations) or '?'}"
    lines = [f"<b>{route}</b>"]
    if m.waypoints:
        lines.append("via " + ", ".join(_e(w.name) for w in m.waypoints))
    if m.people is None and m.count_min is None:
        count = f"count unknown ({_e(_KIND_NOTE[m.count_kind])})"
    else:
        count = f"{_e(m.count_label)} {_e(noun)} ({_e(_KIND_NOTE[m.count_kind])})"
    if m.groups:
        count += ", including " + ", ".join(f"{n:,} {_e(g)}" for g, n in m.groups)
    lines.append(count)
    if not m.split_reported:
        lines.append(f"<i>{_UNSPLIT_NOTE}</i>")
    when = []
    if m.date_label:
        when.append(f"Date: {_e(m.date_label)}")
    if m.stage:
        when.append(f"stage: {_e(m.stage)}")
    if when:
        lines.append(" · ".join(when))
    if m.sources:
        label = "Source" if len(m.sources) == 1 else "Sources"
        lines.append(f"{label}: " + "; ".join(_e(s) for s in m.sources))
    quotes = [ev for ev in m.evidence if ev.text]
    if quotes:
        lines.append(
            '<span class="evacmap-evidence">'
            + "<br>".join(f"“{_e(ev.text)}” ({_e(ev.location)})" for ev in quotes)
            + "</span>"
        )
    return "<br>".join(lines)


def place_label(place: Place) -> str:
    """The escaped name drawn beside a place circle.

    Examples
    --------
    >>> from evacmap.model import Place
    >>> place_label(Place("<script>", 0.0, 0.0))
    '&lt;script&gt;'
    """
    return _e(place.name)


def place_tooltip(place: Place, totals: Mapping[str, int], noun: str = "people") -> str:
    """HTML tooltip of a place: name, kind, totals in and out, and how sure its location is.

    Parameters
    ----------
    place
        The place.
    totals
        Its row of :meth:`evacmap.flows.FlowGraph.totals`.
    noun
        What is counted.

    Returns
    -------
    str
        HTML whose every piece of user text is escaped.

    Examples
    --------
    >>> from evacmap.model import Place
    >>> p = Place("Idlib", 35.9, 36.6, country="SY", kind="governorate", approximate=True)
    >>> print(place_tooltip(p, {"in_unsplit": 450}).replace("<br>", "\\n"))
    <b>Idlib</b> (governorate, SY)
    arrived: up to 450 people (split between destinations not reported)
    <i>approximate location</i>
    """
    bits = [str(place.kind)] + [b for b in (place.admin1, place.country) if b]
    lines = [f"<b>{_e(place.name)}</b> ({_e(', '.join(bits))})"]
    n = _e(noun)

    def get(key: str) -> int:
        return int(totals.get(key, 0) or 0)

    rows = (
        ("out_count", "left: {:,} " + n),
        ("in_count", "arrived: {:,} " + n),
        ("in_unsplit", "arrived: up to {:,} " + n + " (split between destinations not reported)"),
        ("planned_out", "planned to leave: up to {:,} " + n + " (not added)"),
        ("planned_in", "planned to arrive: up to {:,} " + n + " (not added)"),
        (
            "planned_in_unsplit",
            "planned to arrive: up to {:,} " + n + " (split not reported; not added)",
        ),
        ("cumulative_out", "cumulative total left: {:,} " + n),
        ("cumulative_in", "cumulative total arrived: {:,} " + n),
    )
    lines.extend(text.format(get(key)) for key, text in rows if get(key) > 0)
    if place.approximate:
        lines.append("<i>approximate location</i>")
    return "<br>".join(lines)
