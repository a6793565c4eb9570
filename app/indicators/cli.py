"""`flask indicators …`: compute the snapshots (nightly from cron; quarters as they end)."""
from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup

indicators_cli = AppGroup("indicators", help="Community indicators and maturity stages.")


@indicators_cli.command("compute")
@click.option("--at", "at", default=None, help="Compute as of this UTC moment (YYYY-MM-DD[THH:MM]); default now.")
@click.option("--backfill", default=0, type=int, help="Also compute the stage snapshots of the last N ended quarters.")
def compute_command(at: str | None, backfill: int) -> None:
    """Compute every community's indicators into snapshots, and any ended quarter's stage snapshot not yet made."""
    from app.indicators import compute
    from app.indicators.context import last_ended_quarter, previous_quarter
    from app.models.base import utcnow

    try:
        now = datetime.fromisoformat(at) if at else utcnow()
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM-DD or YYYY-MM-DDTHH:MM", param_hint="--at") from error
    if now.tzinfo is not None:  # an offset was given: the computations work in naive UTC
        now = now.astimezone(UTC).replace(tzinfo=None)
    periods = []
    if backfill:
        period = last_ended_quarter(now)
        for _ in range(backfill):
            periods.insert(0, period)
            period = previous_quarter(period)
    elif (missing := compute.missing_quarter(now)) is not None:
        periods.append(missing)
    total = len(compute.load_context(now).communities)
    for period in periods:
        with click.progressbar(length=total, label=f"Quarter {period}") as bar:
            compute.run(period=period, progress=bar.update)
    with click.progressbar(length=total, label=f"Daily {now:%Y-%m-%d}") as bar:
        computed = compute.run(now, progress=bar.update)
    click.echo(f"Indicators computed for {computed} communities"
               + (f" (and the quarters {', '.join(periods)})." if periods else "."))
