"""``evacmap gazetteer add / list / remove``: the analyst's own place lists, imported once."""

from __future__ import annotations

import click

from evacmap.cli.options import handle_errors, progress_bar

store_option = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False),
    envvar="EVACMAP_PLACES_DIR",
    help="The folder of imported lists (default: evacmap's cache folder; env EVACMAP_PLACES_DIR).",
)


@click.group()
def gazetteer() -> None:
    """Add, list and remove your own place lists (GeoNames dumps, OCHA tables).

    Added lists are indexed once and kept in evacmap's cache folder; every later
    command (`evacmap geocode`, `evacmap map` …) finds their places. Your lists rank
    below evacmap's curated places and above GeoNames cities500.

    \b
    Examples:
      evacmap gazetteer add SY.zip alternateNamesV2.zip
      evacmap gazetteer add allCountries.zip --country SY --country LB
      evacmap gazetteer add syr_pplp_adm4_unocha.xlsx
      evacmap gazetteer list
      evacmap gazetteer remove SY
    """


@gazetteer.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="ISO",
    help="GeoNames dumps: keep only this country (repeat for several).",
)
@click.option("--sheet", help="Spreadsheets: the sheet to read (name or number).")
@click.option("--name", help="The name of the list (one file only; default: the file name).")
@store_option
@handle_errors
def add(
    files: tuple[str, ...],
    countries: tuple[str, ...],
    sheet: str | None,
    name: str | None,
    store_dir: str | None,
) -> None:
    """Import place lists FILES: GeoNames dumps or OCHA place tables.

    GeoNames: SY.zip, allCountries.zip, cities1000.zip (or their .txt), every feature
    class; alternateNamesV2.zip adds spellings to the places already added. OCHA:
    populated-places or admin tables (CSV, XLSX, ODS, GeoPackage, shapefile) with
    ADM1_EN / ADM1_AR / ADM1_PCODE … ADM4_PCODE columns or HXL tags; every P-code
    resolves. A file added again replaces its earlier import.
    """
    from evacmap.gazetteer.geonames import load_geonames_index
    from evacmap.gazetteer.placelist import detect_format
    from evacmap.gazetteer.sources import load_admin1
    from evacmap.gazetteer.store import PlaceStore

    for c in countries:
        if len(c) != 2 or not c.isalpha():
            raise click.BadParameter(f"{c!r} is not a two-letter ISO code", param_hint="--country")
    crosswalk = {(a.country, a.geonames_admin1): (a.name, a.pcode) for a in load_admin1()}
    store = PlaceStore(store_dir)
    base = []
    if any(detect_format(f) == "alternate_names" for f in files):
        base = [load_geonames_index(crosswalk)]
    summaries = store.add(
        list(files),
        countries=[c.upper() for c in countries] or None,
        sheet=sheet,
        name=name,
        base=base,
        admin1=crosswalk,
        progress=progress_bar("Indexing names"),
    )
    for s in summaries:
        click.echo(s.describe())
        for problem in s.problems:
            click.echo(f"  left out: {problem}", err=True)
        if s.n_skipped > len(s.problems) and s.problems:
            click.echo(f"  … and {s.n_skipped - len(s.problems):,} more rows left out", err=True)


@gazetteer.command("list")
@store_option
@handle_errors
def list_command(store_dir: str | None) -> None:
    """List the imported place lists, newest first (they are searched in this order)."""
    from evacmap.gazetteer.store import PlaceStore

    store = PlaceStore(store_dir)
    items = store.entries()
    if not items:
        click.echo(f"no place lists added (store: {store.directory})", err=True)
        return
    for item in items:
        click.echo(item.describe())


@gazetteer.command("remove")
@click.argument("names", nargs=-1, required=True)
@store_option
@handle_errors
def remove(names: tuple[str, ...], store_dir: str | None) -> None:
    """Drop imported place lists by NAME (as `evacmap gazetteer list` shows them)."""
    from evacmap.gazetteer.store import PlaceStore

    for n in PlaceStore(store_dir).remove(*names):
        click.echo(f"removed {n}")
