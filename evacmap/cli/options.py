"""Options shared by several commands."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from evacmap.errors import EvacmapError

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "add_options",
    "country_option",
    "gazetteer_from",
    "handle_errors",
    "output_format",
    "places_option",
    "progress_bar",
]




def _country(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) != 2 or not value.isalpha():
        raise click.BadParameter(f"{value!r} is not a two-letter ISO country code such as SY")
    return value.upper()


country_option = click.option(
    "--country",
    metavar="ISO",
    callback=_country,
    help="Two-letter code of the country most places are in (a hint), e.g. SY.",
)
places_option = click.option(
    "--places",
    "places_file",
    type=click.Path(exists=True, dir_okay=False),
    help=(
        "A CSV or GeoJSON of your own places (name, lat, lon, aliases…). They win: one with "
        "the id of a bundled place, or one of its names within 50 km (same country), "
        "replaces it; other namesakes stay candidates."
    ),
)


def output_format(output: str, formats: dict[str, str], *, dash: str | None = None) -> str:
    """The format an ``-o`` path asks for by its extension, or a usage error listing them.

    Parameters
    ----------
    output
        The path given with ``-o``.
    formats
        Known extensions (with the dot, lower case) and the format each one names.
    dash
        The format ``-`` (standard output) stands for, or None when it is not allowed.
    """
    if output == "-" and dash is not None:
        return dash
    suffix = Path(output).suffix.lower()
    if suffix in formats:
        return formats[suffix]
    known = ", ".join(sorted(formats)) + (", or - for standard output" if dash else "")
    got = f"its extension {suffix!r}" if suffix else "it has no extension"
    raise click.UsageError(
        f"-o {output!r}: evacmap cannot write that format ({got}); use {known}"
    )


def gazetteer_from(places_file: str | None, *, curated_only: bool = False) -> Any:
    """The gazetteer the commands use: world (or curated) plus the user's places."""
    from evacmap.gazetteer import Gazetteer, default_gazetteer

    gaz = Gazetteer.curated() if curated_only else default_gazetteer()
    return gaz.with_places(places_file) if places_file else gaz


def add_options(*decorators: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Apply several click decorators at once."""

    def apply(func: Any) -> Any:
        for d in reversed(decorators):
            func = d(func)
        return func

    return apply


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
