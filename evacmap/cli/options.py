"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
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
    help="A CSV or GeoJSON of your own places (name, lat, lon, aliases…); they win over bundled ones.",
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
