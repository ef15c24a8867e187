"""``evacmap geocode``: names to places, one by one or a whole CSV column."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from evacmap.cli.options import (
    add_options,
    country_option,
    gazetteer_from,
    handle_errors,
    places_option,
    progress_bar,
)
from evacmap.errors import AmbiguousPlaceError, GazetteerError, InputError, TableError
from evacmap.model import Candidate, Match

#: Columns added to every row in batch mode.
BATCH_COLUMNS = (
    "lat",
    "lon",
    "matched_name",
    "country",
    "admin1",
    "pcode",
    "kind",
    "score",
    "method",
    "status",
    "note",
)


def _candidate(c: Candidate) -> dict[str, Any]:
    p = c.place
    return {
        "name": p.name,
        "country": p.country,
        "kind": p.kind.value,
        "lat": p.lat,
        "lon": p.lon,
        "score": c.score,
    }


def _record(query: str, result: Match | GazetteerError) -> dict[str, Any]:
    if isinstance(result, Match):
        p = result.place
        return {
            "query": query,
            "status": "resolved",
            "name": p.name,
            "lat": p.lat,
            "lon": p.lon,
            "country": p.country,
            "admin1": p.admin1,
            "pcode": p.pcode,
            "admin1_pcode": p.admin1_pcode,
            "kind": p.kind.value,
            "geonames_id": p.geonames_id,
            "approximate": p.approximate,
            "score": result.score,
            "method": result.method,
            "matched_name": result.best.matched_name,
            "runners_up": [_candidate(c) for c in result.runners_up[:3]],
            "note": result.note,
        }
    rec: dict[str, Any] = {
        "query": query,
        "name": None,
        "lat": None,
        "lon": None,
        "country": None,
        "kind": None,
        "message": str(result),
    }
    if isinstance(result, AmbiguousPlaceError):
        rec["status"] = "ambiguous"
        rec["candidates"] = [_candidate(c) for c in result.candidates[:5]]
    else:
        rec["status"] = "not_found"
        rec["suggestions"] = list(getattr(result, "suggestions", ()))
    return rec


@click.command()
@click.argument("names", nargs=-1)
@add_options(country_option, places_option)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of text.")
@click.option(
    "--input",
    "input_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Batch mode: a CSV whose NAME column to geocode.",
)
@click.option("--column", help="Batch mode: the column holding place names.")
@click.option("--country-column", help="Batch mode: a column with per-row ISO country codes.")
@click.option("--encoding", help="Batch mode: the text encoding of a CSV that is not UTF-8 (e.g. cp1256).")
@click.option("--sheet", help="Batch mode: the sheet of an .xlsx/.xls/.ods file (name or number).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Batch mode: the CSV to write (every input row, plus result columns).",
)
@handle_errors
def geocode(
    names: tuple[str, ...],
    country: str | None,
    places_file: str | None,
    as_json: bool,
    input_file: str | None,
    column: str | None,
    country_column: str | None,
    encoding: str | None,
    sheet: str | None,
    output: str | None,
) -> None:
    """Resolve place NAMES offline (any spelling, Latin or Arabic script).

    Names given together are read as one document: places that resolve on their own
    tell the others apart ("Homs" next to "Idlib" is the Syrian city). A name that
    cannot be resolved, or is ambiguous, is reported on stderr with candidates or
    suggestions, and the command exits with status 1.

    \b
    Examples:
      evacmap geocode --country SY "El Waer" Idleb Jarabulus حمص
      evacmap geocode --json Tripoli Benghazi
      evacmap geocode --input sites.csv --column location --country SY -o sites-geo.csv
    """
    if input_file:
        if names:
            raise click.UsageError("give NAMES or --input, not both")
        if not column:
            raise click.UsageError("--input needs --column (the column of place names)")
        if output and output != "-" and Path(output).suffix.lower() != ".csv":
            raise click.UsageError(
                f"-o {output!r}: batch mode writes CSV; give a file ending in .csv, or - for "
                "standard output"
            )
        _batch(input_file, column, country_column, country, places_file, output or "-",
               encoding=encoding, sheet=sheet)
        return
    if not names:
        raise click.UsageError("give at least one NAME, or --input FILE --column NAME")
    if column or country_column or output:
        raise click.UsageError("--column, --country-column and -o belong to --input mode")
    gaz = gazetteer_from(places_file)
    results = gaz.geocode_many(list(names), country=country)
    failed = [r for r in results if not isinstance(r, Match)]
    if as_json:
        json.dump(
            [_record(n, r) for n, r in zip(names, results, strict=True)],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        for name, res in zip(names, results, strict=True):
            if isinstance(res, Match):
                p = res.place
                approx = " (approximate)" if p.approximate else ""
                note = f"\t{res.note}" if res.note else ""
                click.echo(
                    f"{name}\t{p.label}\t{p.lat:.5f}, {p.lon:.5f}{approx}\t"
                    f"{res.method} {res.score:.2f}{note}"
                )
    for res in failed:
        click.echo(f"error: {res}", err=True)
    if failed:
        sys.exit(1)


def _batch(
    input_file: str,
    column: str,
    country_column: str | None,
    country: str | None,
    places_file: str | None,
    output: str,
    encoding: str | None = None,
    sheet: str | None = None,
) -> None:
    from evacmap._tabular import read_table
    from evacmap.io.csvfile import write_csv

    table = read_table(input_file, encoding=encoding, sheet=sheet)
    if table.problems:
        raise TableError(table.problems, source=table.source)
    fields = list(table.columns)
    for col in filter(None, (column, country_column)):
        if col not in fields:
            raise InputError(
                f"{table.source} has no column {col!r} (columns: {', '.join(fields)})",
                hint="name the column exactly as in the header",
            )
    frame = table.frame
    names = [n.strip() for n in frame[column].astype(str).tolist()]
    hints = (
        [h.strip().upper() or None for h in frame[country_column].astype(str).tolist()]
        if country_column
        else [None] * len(names)
    )
    rows = frame.astype(str).values.tolist()
    gaz = gazetteer_from(places_file)
    todo = [i for i, n in enumerate(names) if n]
    results = gaz.geocode_many(
        [names[i] for i in todo],
        country=country,
        countries=[hints[i] for i in todo],
        progress=progress_bar("Geocoding"),
    )
    by_row: dict[int, Match | GazetteerError] = dict(zip(todo, results, strict=True))
    added = [c if c not in fields else f"{c}_geocoded" for c in BATCH_COLUMNS]
    counts = {"resolved": 0, "ambiguous": 0, "not_found": 0}
    out_rows = []
    for i, row in enumerate(rows):
        values = _batch_values(by_row.get(i))
        counts[values[9]] += 1
        out_rows.append(list(row) + values)
    write_csv(output, fields + added, out_rows)
    click.echo(
        f"{counts['resolved']} resolved, {counts['ambiguous']} ambiguous, "
        f"{counts['not_found']} not found, of {len(rows)} rows",
        err=True,
    )
    if output != "-":
        click.echo(output)


def _batch_values(res: Match | GazetteerError | None) -> list[Any]:
    if isinstance(res, Match):
        p = res.place
        note = "; ".join(
            n for n in ("approximate location" if p.approximate else "", res.note) if n
        )
        return [
            f"{p.lat:.6f}",
            f"{p.lon:.6f}",
            res.best.matched_name,
            p.country,
            p.admin1,
            p.pcode or p.admin1_pcode or "",
            p.kind.value,
            f"{res.score:.3f}",
            res.method,
            "resolved",
            note,
        ]
    if isinstance(res, AmbiguousPlaceError):
        cands = "; ".join(f"{c.place.label} {c.score:.2f}" for c in res.candidates[:4])
        return ["", "", "", "", "", "", "", "", "", "ambiguous", cands]
    if res is None:
        return ["", "", "", "", "", "", "", "", "", "not_found", "empty name"]
    sugg = "; ".join(getattr(res, "suggestions", ()))
    return [
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "not_found",
        f"did you mean: {sugg}" if sugg else "",
    ]
