"""``evacmap demo``: the al-Waer 2017 example, end to end."""

from __future__ import annotations

from pathlib import Path

import click

from evacmap.cli.options import handle_errors


@click.command()
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Folder to write al-waer-2017.html and .geojson into.",
)
@click.option(
    "--tiles",
    default=None,
    metavar="NAME",
    help="Add an online tile layer (e.g. OpenStreetMap). Default: none, fully offline.",
)
@handle_errors
def demo(out_dir: str, tiles: str | None) -> None:
    """Map the 2017 evacuation of al-Waer (Homs) to Idlib and Jarablus.

    Reads the bundled table data/geo/examples/al-waer-2017.csv, geocodes its names
    offline, and writes a self-contained HTML map and a GeoJSON file. Prints the
    two paths.
    """
    from importlib.resources import as_file

    from evacmap._resources import data_path
    from evacmap.cli.options import gazetteer_from
    from evacmap.io import read_flows, write_geojson
    from evacmap.render import save_map

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with as_file(data_path("examples", "al-waer-2017.csv")) as csv_path:
        graph = read_flows(
            csv_path,
            gazetteer=gazetteer_from(None),
            country="SY",
            title="al-Waer (Homs) evacuation, 2017",
            source="al-waer-2017.csv",
        )
    html_path = save_map(graph, out / "al-waer-2017.html", tiles=tiles, title=graph.title)
    geojson_path = write_geojson(graph, out / "al-waer-2017.geojson")
    click.echo(str(html_path))
    click.echo(str(geojson_path))
