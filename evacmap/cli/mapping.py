"""``evacmap map``, ``export`` and ``stats``: a flow table to a map, GIS files or totals."""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any, Literal

import click

from evacmap.cli.options import (
    add_options,
    country_option,
    gazetteer_from,
    handle_errors,
    output_format,
    places_option,
)
from evacmap.errors import EvacmapWarning, InputError

#: What ``evacmap map -o`` writes, by extension.
MAP_FORMATS = {".html": "html", ".htm": "html", ".png": "png", ".svg": "svg", ".pdf": "pdf"}
#: What ``evacmap export -o`` writes, by extension.
EXPORT_FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".fgb": "fgb",
    ".csv": "csv",
}
#: Rejected rows printed on stderr before the rest are only counted.
SHOWN_REJECTS = 20

_input_argument = click.argument("flows", type=click.Path(exists=True, dir_okay=False))
_read_options = (
    click.option(
        "--skip-bad-rows",
        is_flag=True,
        help="Keep the good rows; print each rejected row as file:line:column: reason.",
    ),
    click.option(
        "--rejects",
        "rejects_file",
        type=click.Path(dir_okay=False),
        help="Write every rejected row (file, line, column, problem, hint) to this CSV.",
    ),
    click.option("--encoding", help="Text encoding of a CSV that is not UTF-8, e.g. cp1256."),
    click.option("--sheet", help="Sheet of an .xlsx/.xls/.ods file (name or number)."),
    click.option("--layer", help="Layer of a GeoPackage or other multi-layer GIS file."),
    click.option(
        "--columns",
        "columns",
        metavar="NAME=COLUMN,...",
        help="Map your column names to evacmap's, e.g. origin=from_name,count=ppl.",
    ),
    click.option(
        "--context",
        type=click.Choice(["file", "source", "none"]),
        default="file",
        show_default=True,
        help="Which names are resolved together: the file's, each source's, or each alone.",
    ),
)


def read_input(
    flows: str,
    *,
    country: str | None,
    places_file: str | None,
    skip_bad_rows: bool,
    rejects_file: str | None,
    encoding: str | None,
    sheet: str | None,
    layer: str | None,
    columns: str | None,
    context: Literal["file", "source", "none"],
) -> Any:
    """Read FLOWS as the options say; report rejected rows and the summary on stderr."""
    from evacmap.io import read_flows

    with warnings.catch_warnings():
        # Each left-out row is printed below; the summary warning would repeat them.
        warnings.simplefilter("ignore", EvacmapWarning)
        graph = read_flows(
            flows,
            # Without a places file the gazetteer loads only if some name needs it.
            gazetteer=gazetteer_from(places_file) if places_file else None,
            country=country,
            errors="report" if skip_bad_rows else "raise",
            encoding=encoding,
            sheet=sheet,
            layer=layer,
            columns=columns,
            context=context,
        )
    for problem in graph.rejected[:SHOWN_REJECTS]:
        click.echo(f"left out: {problem}", err=True)
    if len(graph.rejected) > SHOWN_REJECTS:
        more = len(graph.rejected) - SHOWN_REJECTS
        hint = f"; all of them are in {rejects_file}" if rejects_file else "; --rejects FILE.csv lists them all"
        click.echo(f"left out: … and {more:,} more problem(s){hint}", err=True)
    if rejects_file:
        from evacmap.io.csvfile import write_csv

        write_csv(
            rejects_file,
            ["file", "line", "column", "problem", "hint"],
            [
                [
                    p.location.source if p.location else flows,
                    p.location.line if p.location else "",
                    p.location.column if p.location and p.location.column else "",
                    p.message,
                    p.hint or "",
                ]
                for p in graph.rejected
            ],
        )
    click.echo(str(graph.summary), err=True)
    return graph


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD") from None


#: Options of ``evacmap map`` that choose what is drawn and how (see :func:`map_view`).
_view_options = (
    click.option("--min-count", type=click.IntRange(min=0), metavar="N",
                 help="Draw only movements of at least N (the map says what is left out)."),
    click.option("--top", "top_n", type=click.IntRange(min=1), metavar="N",
                 help="Draw only the N largest movements (the map says what is left out)."),
    click.option("--date-from", callback=_iso_date, metavar="YYYY-MM-DD",
                 help="Only movements on or after this date."),
    click.option("--date-to", callback=_iso_date, metavar="YYYY-MM-DD",
                 help="Only movements on or before this date."),
    click.option("--focus", metavar="PLACE", help="Only movements out of or into PLACE (id or name)."),
    click.option("--direction", type=click.Choice(["in", "out", "both"]), default=None,
                 help="With --focus: movements into PLACE, out of it, or both (default)."),
    click.option("--color-by", type=click.Choice(["kind", "group", "count"]), default="kind",
                 show_default=True, help="Colour flows by count kind, by largest group, or by count."),
    click.option("--renderer", type=click.Choice(["auto", "svg", "canvas"]), default="auto",
                 show_default=True, help="SVG lines, or one canvas (auto: canvas above 1,000 movements)."),
)
_VIEW_KEYS = ("min_count", "top_n", "date_from", "date_to", "focus", "direction", "color_by", "renderer")


def map_view(graph: Any, view: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The movements `view` selects (dates, focus), and the drawing arguments it gives."""
    if view["direction"] is not None and view["focus"] is None:
        raise click.UsageError("--direction needs --focus PLACE")
    if view["focus"] is not None or view["date_from"] or view["date_to"]:
        graph = graph.filter(
            date_from=view["date_from"],
            date_to=view["date_to"],
            place=view["focus"],
            direction=view["direction"] or "both",
        )
        if len(graph) == 0:
            raise InputError(
                "no movement matches --focus/--date-from/--date-to",
                hint="widen the dates, or check the place name with `evacmap stats --by place`",
            )
    kwargs = {k: view[k] for k in ("min_count", "top_n", "color_by", "renderer")}
    return graph, kwargs


_overlay_options = (
    click.option(
        "--overlay",
        "overlay_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        metavar="FILE",
        help="Draw a GIS file under the flows (GeoJSON, GeoPackage…), e.g. admin boundaries; "
        "repeatable. Its properties show as tooltips.",
    ),
    click.option(
        "--overlay-label",
        metavar="PROPERTY",
        help="Label each overlay feature with this property, e.g. admin1Name_en.",
    ),
    click.option(
        "--dpi",
        type=click.IntRange(min=30, max=1200),
        default=None,
        help="Resolution of a .png picture, pixels per inch (default 150; the picture is 10 inches wide).",
    ),
)


@click.command("map")
@_input_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    required=True,
    help="The map to write: HTML (.html), or a picture for reports (.png, .svg, .pdf).",
)
@click.option("--title", help="Title shown on the map (default: the file name).")
@click.option(
    "--tiles",
    default=None,
    metavar="NAME|URL",
    help="Add online tiles: a provider name (CartoDB.Positron, OpenStreetMap…) or a URL "
    "template such as http://localhost:8080/{z}/{x}/{y}.png. Default: none, fully offline.",
)
@add_options(country_option, places_option, *_read_options, *_view_options, *_overlay_options)
@handle_errors
def map_command(output: str, title: str | None, tiles: str | None, flows: str, **read: Any) -> None:
    """Draw FLOWS (a flow table, spreadsheet or GIS file) as a self-contained HTML map.

    With -o map.png, .svg or .pdf it draws a static picture instead (no browser needed).
    --tiles takes a provider name (CartoDB.Positron) or a URL template of your own tile
    server (http://localhost:8080/{z}/{x}/{y}.png); without it the map is fully offline.
    """
    fmt = output_format(output, MAP_FORMATS)
    view = {k: read.pop(k) for k in _VIEW_KEYS}
    overlays = _read_overlays(read, fmt, tiles)
    dpi = read.pop("dpi")
    graph, drawing = map_view(read_input(flows, **read), view)
    if fmt != "html" or overlays:
        written = _write_with_overlays(
            graph, output, fmt, title=title, tiles=tiles, overlays=overlays, drawing=drawing, dpi=dpi
        )
        click.echo(str(written))
        return
    from evacmap.render import save_map

    path = save_map(graph, output, tiles=tiles, title=title or graph.title, **drawing)
    click.echo(str(path))


def _read_overlays(read: dict[str, Any], fmt: str, tiles: str | None) -> list[Any]:
    """Take the --overlay options out of `read`; read the files before the flows (fail fast)."""
    files, label = read.pop("overlay_files"), read.pop("overlay_label")
    if fmt != "html" and tiles:
        raise click.UsageError("--tiles draws on the web map only; a picture uses the offline basemap")
    if read["dpi"] is not None and fmt != "png":
        raise click.UsageError("--dpi applies to .png pictures only (SVG and PDF are vector files)")
    if label and not files:
        raise click.UsageError("--overlay-label needs --overlay FILE")
    from evacmap.render.overlay import read_overlay

    return [read_overlay(f, label=label) for f in files]


def _write_with_overlays(
    graph: Any,
    output: str,
    fmt: str,
    *,
    title: str | None,
    tiles: str | None,
    overlays: list[Any],
    drawing: dict[str, Any],
    dpi: int | None = None,
) -> Any:
    """Write a picture (PNG, SVG, PDF), or a web map with the overlays drawn under its flows.

    `drawing` (from :func:`map_view`) styles both: the cut (--top, --min-count) and
    --color-by apply to pictures too; --renderer is the web map's only.
    """
    title = title or graph.title
    if fmt != "html":
        from evacmap.render.picture import save_picture

        picture = {k: v for k, v in drawing.items() if k != "renderer"}
        if dpi is not None:
            picture["dpi"] = float(dpi)
        return save_picture(graph, output, title=title, overlays=overlays, **picture)
    from evacmap._atomic import write_text_atomic
    from evacmap.render import render_map
    from evacmap.render.overlay import add_overlay

    m = render_map(graph, tiles=tiles, title=title, **drawing)
    for overlay in overlays:
        add_overlay(m, overlay)
    return write_text_atomic(output, m.get_root().render())


@click.command()
@_input_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    required=True,
    help="GeoJSON (.geojson), GeoPackage (.gpkg), FlatGeobuf (.fgb) or CSV (.csv); - for GeoJSON on stdout.",
)
@click.option("--arcs", is_flag=True, help="Write the curved arcs of the map, not straight lines.")
@click.option(
    "--by",
    type=click.Choice(["movement", "corridor"]),
    default="movement",
    show_default=True,
    help="One feature per movement (with its evidence), or per corridor (movements summed).",
)
@add_options(country_option, places_option, *_read_options)
@handle_errors
def export(output: str, arcs: bool, by: str, flows: str, **read: Any) -> None:
    """Write FLOWS as GIS files: places with their totals, and one feature per movement.

    Summing `count` over the flow features gives the people who moved; planned and
    cumulative figures are in their own fields.
    """
    from evacmap.io import to_geojson, write_corridors, write_flows

    fmt = output_format(output, EXPORT_FORMATS, dash="geojson")
    if fmt != "geojson" and arcs:
        raise click.UsageError("--arcs applies to GeoJSON output only")
    if by == "corridor" and (arcs or output == "-"):
        raise click.UsageError("--by corridor writes straight lines to a file (not --arcs, not -)")
    graph = read_input(flows, **read)
    if len(graph) == 0:
        raise InputError(
            f"no movement left to write: all {graph.summary.rows:,} rows of {flows} were rejected",
            hint="fix the rows listed above, or check the column names",
        )
    geometry: Literal["straight", "arc"] = "arc" if arcs else "straight"
    if output == "-":
        json.dump(to_geojson(graph, geometry=geometry), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    path = write_corridors(graph, output) if by == "corridor" else write_flows(graph, output, geometry=geometry)
    click.echo(str(path))


@click.command()
@_input_argument
@click.option(
    "--by",
    type=click.Choice(["place", "corridor", "admin1", "country", "two-way", "legs", "stages"]),
    default="place",
    show_default=True,
    help="What to total by.",
)
@click.option("--top", type=click.IntRange(min=1), help="Only the largest N rows (the rest summed).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON records.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (spreadsheet-safe).")
@add_options(country_option, places_option, *_read_options)
@handle_errors
def stats(by: str, top: int | None, as_json: bool, as_csv: bool, flows: str, **read: Any) -> None:
    """Totals of FLOWS: per place (in, out, net, internal…), corridor, governorate or country."""
    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    graph = read_input(flows, **read)
    frame = _stats_frame(graph, by, top)
    if as_json:
        click.echo(frame.to_json(orient="records", force_ascii=False, indent=2))
    elif as_csv:
        from evacmap.io.csvfile import write_csv

        write_csv("-", list(frame.columns), frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", 200, "display.width", 160):
            click.echo(frame.to_string(index=False))


def _stats_frame(graph: Any, by: str, top: int | None) -> Any:
    if by == "place":
        frame = graph.totals().reset_index()
        frame = frame.sort_values("people", ascending=False, kind="stable")
    elif by == "corridor":
        return graph.corridors(top=top)
    elif by in ("admin1", "country"):
        frame = graph.rollup(by=by).reset_index()
    elif by == "two-way":
        frame = graph.two_way()
    elif by == "legs":
        frame = graph.leg_loads()
    else:
        frame = graph.stage_gaps()
    return frame.head(top) if top else frame
