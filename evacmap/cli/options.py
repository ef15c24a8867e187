"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


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
