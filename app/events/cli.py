"""Command-line tasks of the events area: `flask events send-reminders` (run from cron, hourly or daily)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

events_cli = AppGroup("events", help="Events: reminders to registered people.")


@events_cli.command("send-reminders")
def send_reminders() -> None:
    """Remind everyone registered to an event that starts tomorrow (Europe/Rome), once per registration."""
    from app.events.reminders import send_due_reminders

    sent = send_due_reminders()
    click.echo(f"{sent} reminders sent.")
