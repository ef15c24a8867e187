"""``evacmap map`` and ``evacmap export``: a flow table to an HTML map or GIS file."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Any, Literal

import click

from evacmap.cli.main import handle_errors
from evacmap.cli.options import (
    add_options,
    country_option,
    gazetteer_from,
    output_format,
    places_option,
)
from evacmap.errors import EvacmapWarning

#: What ``evacmap map -o`` writes, by extension.
MAP_FORMATS = {".html": "html", ".htm": "html"}
#: What ``evacmap export -o`` writes, by extension.
EXPORT_FORMATS = {".geojson": "geojson", ".json": "geojson", ".gpkg": "gpkg"}

_input_argument = click.argument("flows", type=click.Path(exists=True, dir_okay=False))
_skip_option = click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Leave out bad rows (each is reported on stderr) instead of stopping.",
)


def _read(flows: str, country: str | None, places_file: str | None, skip: bool) -> Any:
    from evacmap.io import read_flows, read_geojson

    if Path(flows).suffix.lower() in (".geojson", ".json"):
        return read_geojson(flows)
    with warnings.catch_warnings():
        # Each left-out row is printed below; the summary warning would repeat them.
        warnings.simplefilter("ignore", EvacmapWarning)
        graph = read_flows(
            flows,
            gazetteer=gazetteer_from(places_file),
            country=country,
            errors="report" if skip else "raise",
        )
    for problem in graph.rejected:
        click.echo(f"left out: {problem}", err=True)
    return graph


@click.command("map")
@_input_argument
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="The HTML file to write."
)
@click.option("--title", help="Title shown on the map (default: the file name).")
@click.option(
    "--tiles",
    default=None,
    metavar="NAME",
    help="Add an online tile layer (e.g. OpenStreetMap). Default: none, fully offline.",
)
@add_options(country_option, places_option, _skip_option)
@handle_errors
def map_command(
    flows: str,
    output: str,
    title: str | None,
    tiles: str | None,
    country: str | None,
    places_file: str | None,
    skip_bad_rows: bool,
) -> None:
    """Draw FLOWS (a CSV flow table or evacmap GeoJSON) as a self-contained HTML map."""
    from evacmap.render import save_map

    output_format(output, MAP_FORMATS)
    graph = _read(flows, country, places_file, skip_bad_rows)
    path = save_map(graph, output, tiles=tiles, title=title or graph.title)
    click.echo(str(path))


@click.command()
@_input_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    required=True,
    help="GeoJSON (.geojson) or GeoPackage (.gpkg) to write; - for GeoJSON on stdout.",
)
@click.option("--arcs", is_flag=True, help="Write the curved arcs of the map, not straight lines.")
@add_options(country_option, places_option, _skip_option)
@handle_errors
def export(
    flows: str,
    output: str,
    arcs: bool,
    country: str | None,
    places_file: str | None,
    skip_bad_rows: bool,
) -> None:
    """Write FLOWS as RFC 7946 GeoJSON (places and flows) or a GeoPackage."""
    import json

    from evacmap.io import to_geojson, write_geojson, write_gpkg

    fmt = output_format(output, EXPORT_FORMATS, dash="geojson")
    if fmt == "gpkg" and arcs:
        raise click.UsageError("--arcs applies to GeoJSON output only")
    graph = _read(flows, country, places_file, skip_bad_rows)
    geometry: Literal["straight", "arc"] = "arc" if arcs else "straight"
    if output == "-":
        json.dump(to_geojson(graph, geometry=geometry), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if fmt == "gpkg":
        path = write_gpkg(graph, output)
    else:
        path = write_geojson(graph, output, geometry=geometry)
    click.echo(str(path))
