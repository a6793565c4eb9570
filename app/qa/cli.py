"""`flask qa …`: Q&A tasks run from cron."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

qa_cli = AppGroup("qa", help="Questions and answers.")


@qa_cli.command("invite-acceptors")
def invite_acceptors_command() -> None:
    """Invite facilitators (and, on practice questions, the donors' referents) to choose an answer on questions
    open for 7 days with answers and none accepted; once per question (run daily from cron)."""
    from app.qa.reminders import invite_acceptors

    # Links are built with url_for, which needs a request: one on the configured base URL.
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        click.echo(f"Questions whose acceptors were invited to choose an answer: {invite_acceptors()}")
