"""``evacmap extract``: news articles to movements (JSON, a flow table or GeoJSON) and a map."""

from __future__ import annotations

import datetime as dt
import json
import sys
import warnings
from pathlib import Path
from typing import Any

import click

from evacmap.cli.options import (
    add_options,
    country_option,
    gazetteer_from,
    handle_errors,
    places_option,
)
from evacmap.errors import EvacmapWarning, InputError

#: Output formats and the extensions that name them.
EXTRACT_FORMATS = {".json": "json", ".csv": "csv", ".geojson": "geojson"}


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD, e.g. 2017-05-20") from None


def _read(article: str) -> tuple[str, str]:
    """The text of ARTICLE (``-`` is standard input) and the name its evidence gives."""
    if article == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        return Path(article).read_text(encoding="utf-8"), article
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{article}: the article is not UTF-8 text ({exc.reason} at byte {exc.start})",
            hint="save it as UTF-8 plain text",
        ) from exc


@click.command("extract")
@click.argument("articles", nargs=-1, required=True, type=click.Path(allow_dash=True, dir_okay=False, exists=True))
@add_options(country_option, places_option)
@click.option("--date", "article_date", callback=_date, metavar="YYYY-MM-DD",
              help="The articles' date: 'on Saturday' is resolved against it.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "geojson"]),
              help="Output format (default: by the -o extension, else json).")
@click.option("-o", "--output", default="-", show_default=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write the movements; - for standard output.")
@click.option("--map", "map_file", type=click.Path(dir_okay=False),
              help="Also draw the movements as a self-contained HTML map (tooltips quote the sentences).")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out movements less sure than this.")
@handle_errors
def extract(
    articles: tuple[str, ...],
    country: str | None,
    places_file: str | None,
    article_date: dt.date | None,
    fmt: str | None,
    output: str,
    map_file: str | None,
    min_confidence: float,
) -> None:
    """Extract evacuation movements from ARTICLES (plain text; - reads standard input).

    Each movement keeps the sentence that states it, the character spans of its
    origin, destinations, count and groups, and a confidence. Movements of several
    articles are merged by the flow core's duplicate rules (the same convoy reported
    twice counts once, with both sources). The CSV is a flow table that `evacmap map`
    reads back.

    \b
    Examples:
      evacmap extract article.txt --country SY --date 2017-05-20
      evacmap extract a.txt b.txt -o flows.csv --map map.html
      cat article.txt | evacmap extract - --format geojson
    """
    from evacmap.extract import Extractor, to_record

    if fmt is None:
        fmt = EXTRACT_FORMATS.get(Path(output).suffix.lower(), "json") if output != "-" else "json"
    if articles.count("-") > 1:
        raise click.UsageError("standard input (-) can be read only once")
    extractor = Extractor(gazetteer_from(places_file), country=country)
    records: list[dict[str, Any]] = []
    movements = []
    for article in articles:
        text, source = _read(article)
        result = extractor.extract(text, date=article_date, source=source)
        for m, mentions in zip(result.movements, result.mentions, strict=True):
            if (m.confidence or 0.0) < min_confidence:
                continue
            movements.append(m)
            records.append(to_record(m, mentions))
        for p in result.places:
            if p.place is None and p.role in ("origin", "destination", "waypoint"):
                click.echo(f"{source}: unresolved {p.role} {p.text!r}: {p.reason}", err=True)
        for x in result.excluded:
            click.echo(f"{source}: left out {x.text!r}: {x.reason}", err=True)
    click.echo(f"{len(records)} movement(s) from {len(articles)} article(s)", err=True)
    if fmt == "json" and not map_file and len(articles) == 1:
        # One article is one source: the duplicate rules never merge within a source,
        # so the flow tables (and pandas) are not needed for its JSON.
        _write(None, records, fmt, output)
        return
    from evacmap.flows import FlowGraph

    graph = FlowGraph.from_movements(movements, title=" + ".join(Path(a).name for a in articles))
    merged = graph.merge_duplicates()
    if merged.summary.merged:
        kept = {m.id for m in merged.movements}
        records = [r for r in records if r["id"] in kept]
        by_id = {m.id: m for m in merged.movements}
        for r in records:
            r["sources"] = list(by_id[r["id"]].sources)
        click.echo(f"merged {merged.summary.merged} movement(s) reported by more than one article; "
                   f"{len(records)} left", err=True)
    _write(merged, records, fmt, output)
    if map_file:
        from evacmap.render import save_map

        if len(merged) == 0:
            raise InputError("no movement to draw on the map", hint="check the articles and --country")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EvacmapWarning)
            path = save_map(merged, map_file, title=merged.title)
        click.echo(str(path), err=True)


def _write(graph: Any, records: list[dict[str, Any]], fmt: str, output: str) -> None:
    from evacmap._atomic import write_text_atomic

    if fmt == "json":
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
        if output == "-":
            sys.stdout.write(text)
        else:
            write_text_atomic(output, text)
    elif fmt == "csv":
        from evacmap.io import write_flows_csv

        write_flows_csv(graph, output)
    else:
        from evacmap.io import to_geojson, write_geojson

        if output == "-":
            json.dump(to_geojson(graph), sys.stdout, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            write_geojson(graph, output)
