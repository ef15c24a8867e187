"""The ``evacmap`` command group: logging, verbosity, version and error handling."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from evacmap.errors import EvacmapError

F = TypeVar("F", bound=Callable[..., Any])


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("evacmap")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0+unknown"


def handle_errors(func: F) -> F:
    """Turn evacmap errors into one clear message and exit status 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except EvacmapError as exc:
            if (ctx.find_root().obj or {}).get("verbosity", 0) >= 3:
                raise
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name="evacmap")
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


def progress_bar(label: str) -> Callable[[int, int], None] | None:
    """A progress callback drawing a bar on stderr, or None when quiet or not a terminal."""
    ctx = click.get_current_context()
    if (ctx.find_root().obj or {}).get("quiet") or not sys.stderr.isatty():
        return None
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
            state["bar"], state["done"] = bar, 0
        bar.update(done - state["done"])
        state["done"] = done
        if done >= total:
            bar.__exit__(None, None, None)
            state.clear()

    return update


def _register() -> None:
    from evacmap.cli import demo, geocode, mapping

    cli.add_command(demo.demo)
    cli.add_command(geocode.geocode)
    cli.add_command(mapping.map_command)
    cli.add_command(mapping.export)
    cli.add_command(mapping.stats)


_register()


def main() -> None:
    """Entry point of the ``evacmap`` console script."""
    cli(prog_name="evacmap")
