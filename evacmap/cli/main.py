"""The ``evacmap`` command group: logging, verbosity, version and error handling."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(None, "--version", package_name="evacmap", prog_name="evacmap")  # looked up on use
@click.option(
    "-v", "--verbose", count=True, help="More messages (-v info, -vv debug, -vvv tracebacks)."
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors; no progress bars.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Turn reports of evacuations and displacement into offline flow maps.

    \b
    Examples:
      evacmap demo -o out
      evacmap extract article.txt --country SY --date 2017-05-20 --map map.html
      evacmap geocode --country SY "El Waer" Idleb Jarabulus
      evacmap map flows.csv -o map.html
      evacmap export flows.csv -o flows.gpkg
      evacmap stats flows.csv --by corridor
    """
    level = logging.ERROR if quiet else max(logging.DEBUG, logging.WARNING - 10 * verbose)
    logging.basicConfig(
        stream=sys.stderr, level=level, format="%(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = {"verbosity": verbose, "quiet": quiet}


def _register() -> None:
    from evacmap.cli import demo, geocode, mapping
    from evacmap.cli import extract as extract_cli
    from evacmap.cli import gazetteer as gazetteer_cli

    cli.add_command(demo.demo)
    cli.add_command(extract_cli.extract)
    cli.add_command(gazetteer_cli.gazetteer)
    cli.add_command(geocode.geocode)
    cli.add_command(mapping.map_command)
    cli.add_command(mapping.export)
    cli.add_command(mapping.stats)


_register()


def main() -> None:
    """Entry point of the ``evacmap`` console script."""
    cli(prog_name="evacmap")
