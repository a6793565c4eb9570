"""`flask kpi …`: the reference taxonomies of the KPI library."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup

kpi_cli = AppGroup("kpi", help="KPI library: reference taxonomies.")


@kpi_cli.command("load-reference")
def load_reference_command() -> None:
    """Load the budget missions, PIAO sections, BES domains and SDGs (idempotent)."""
    from app.kpi.reference import load_reference

    added, updated = load_reference()
    click.echo(f"Reference taxonomies: {added} terms added, {updated} updated.")


@kpi_cli.command("load-programmes")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--edition", default="D.Lgs. 118/2011, allegato 14 (ARCONET)", help="The source of the list.")
@click.option("--valid-from", "valid_from", default="2015-01-01", help="Validity start (YYYY-MM-DD).")
def load_programmes_command(path: Path, edition: str, valid_from: str) -> None:
    """Load the programmes within the local missions from a CSV file (columns code;label)."""
    from app.kpi.reference import ReferenceFileError, load_programmes

    try:
        added, updated = load_programmes(path, edition, date.fromisoformat(valid_from))
    except (ReferenceFileError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Programmes: {added} added, {updated} updated.")
