"""`flask evaluation …`: the evaluation area's commands."""
from __future__ import annotations

from flask.cli import AppGroup

evaluation_cli = AppGroup("evaluation", help="Valutazione delle buone pratiche: modelli, promemoria.")


@evaluation_cli.command("load-caf")
def load_caf_command() -> None:
    """Load the CAF 2020 questionnaire as a template (once: the same code and version is never duplicated)."""
    import click

    from app.evaluation.caf import load_caf

    template, created = load_caf()
    if created:
        click.echo(f"Loaded {template.title} (version {template.version}): {len(template.sub_items())} sub-criteria.")
    else:
        click.echo(f"{template.title} (version {template.version}) is already loaded: nothing changed.")


from app.evaluation.reminders import remind_command  # noqa: E402  (a command written with its service)

evaluation_cli.add_command(remind_command)
