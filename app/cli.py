"""Command-line commands: `flask users …`, `flask organizations …`, `flask demo …`, `flask translations …`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import delete, insert

from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
organizations_cli = AppGroup("organizations", help="Manage organisations and the IPA registry.")
demo_cli = AppGroup("demo", help="Demo data.")


@users_cli.command("create-admin")
@click.option("--email", prompt=True, help="E-mail of the administrator.")
@click.option("--name", "full_name", prompt="Full name", help="Full name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Password.")
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create a platform administrator, or make an existing account one."""
    from app.auth.passwords import hash_password, password_problem
    from app.auth.services import find_user_by_email
    from app.models import AffiliationStatus, User
    from app.models.base import utcnow

    if problem := password_problem(password, email, full_name):
        raise click.ClickException(problem)
    user = find_user_by_email(email)
    if user is None:
        user = User(email=email.strip().lower(), full_name=full_name.strip(), password_hash=hash_password(password),
                    affiliation_status=AffiliationStatus.ACTIVE)
        db.session.add(user)
    user.is_admin = True
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    db.session.commit()
    click.echo(f"Administrator ready: {user.email}")


@organizations_cli.command("load-ipa-codes")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--if-present", is_flag=True, help="Do nothing (and succeed) when the list is missing.")
def load_ipa_codes(path: Path | None, if_present: bool) -> None:
    """Replace the IPA registry with PATH: codes one per line, or the IPA open-data table (default: OCPA_IPA_CODES_FILE)."""
    from app.models import IpaRegistryEntry
    from app.organizations.registry import read_registry_file

    path = path or Path(current_app.config["IPA_CODES_FILE"])
    if not path.is_file():
        if if_present:
            click.echo(f"IPA code list not found at {path}: IPA codes are checked for their format only.")
            return
        raise click.ClickException(f"IPA code list not found: {path}")
    # A table with a header (CSV or TSV) also brings names, cities and territories, which prefill registrations.
    rows = read_registry_file(path)
    db.session.execute(delete(IpaRegistryEntry))
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(IpaRegistryEntry), rows[start:start + 5000])
    db.session.commit()
    click.echo(f"IPA registry loaded: {len(rows)} codes from {path}")


@demo_cli.command("load")
def load() -> None:
    """Load the demo organisations and accounts (idempotent) and print the accounts."""
    from app.demo.data import DEMO_PASSWORD
    from app.demo.loader import demo_accounts, load_demo

    added = load_demo()
    click.echo(f"Demo data: {added['organizations']} organisations, {added['users']} accounts, "
               f"{added['communities']} communities, {added['practices']} practices and {added['reuse']} adoptions, "
               f"support requests and supplier offers added; "
               f"{added['catalogue']} software practices imported from the catalogue's publiccode.yml files; "
               f"{added['qa']} demo questions added; "
               f"{added['evaluation']} evaluation calls and self-assessments added; "
               f"{added['indicators']} backdated questions of the indicators' history added, indicators computed; "
               f"{added['programmes']} programmes, calls and events added; "
               f"{added['kpis']} KPI definitions, discussion messages, adoptions, values and practice links added.")
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in demo_accounts():
        click.echo(f"  {account['role']:<9} {account['email']:<48} {account['organization'] or ''}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(organizations_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(practices_cli)
    from app.search.cli import search_cli

    app.cli.add_command(search_cli)
    from app.qa.cli import qa_cli

    app.cli.add_command(qa_cli)
    from app.evaluation.cli import evaluation_cli

    app.cli.add_command(evaluation_cli)
    from app.indicators.cli import indicators_cli

    app.cli.add_command(indicators_cli)
    from app.events.cli import events_cli

    app.cli.add_command(events_cli)
    from app.kpi.cli import kpi_cli

    app.cli.add_command(kpi_cli)


notifications_cli = AppGroup("notifications", help="Notifications.")


@notifications_cli.command("send-digests")
def send_digests() -> None:
    """E-mail the daily digest to everyone who chose it, and retry failed immediate e-mails (run from cron)."""
    from app.notifications.services import retry_failed_immediate
    from app.notifications.services import send_digests as send

    # Links are built with url_for, which needs a request: one on the configured base URL.
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        click.echo(f"Digests sent: {send()}")
        click.echo(f"Failed immediate e-mails sent again: {retry_failed_immediate()}")


practices_cli = AppGroup("practices", help="Good practices.")


@practices_cli.command("import-publiccode")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--community", "community_slug", required=True, help="Slug of the community the practices join.")
@click.option("--donor", "donor_ipa", default=None, help="IPA code of the donor when a file names none we know.")
@click.option("--draft", is_flag=True, help="Import as drafts instead of publishing.")
@click.option("--lenient", is_flag=True,
              help="Accept files whose validation errors still leave a describable practice (as the national "
                   "catalogue lists them); the errors are reported as warnings.")
def import_publiccode(paths: tuple[Path, ...], community_slug: str, donor_ipa: str | None, draft: bool,
                      lenient: bool) -> None:
    """Import publiccode.yml files (or folders of them); idempotent, with a per-file report."""
    from sqlalchemy import func, select

    from app.models import Community, Organization
    from app.practices.importer import import_publiccode as run_import

    community = db.session.execute(select(Community).where(Community.slug == community_slug)).scalar_one_or_none()
    if community is None:
        raise click.ClickException(f"No community with slug {community_slug!r}")
    donor = None
    if donor_ipa:
        donor = db.session.execute(select(Organization).where(
            func.lower(Organization.ipa_code) == donor_ipa.lower())).scalar_one_or_none()
        if donor is None:
            raise click.ClickException(f"No organisation with IPA code {donor_ipa!r}")
    files = sorted({f for p in paths for f in ([p] if p.is_file() else [*p.rglob("*.yml"), *p.rglob("*.yaml")])})
    report: list[tuple[Path, object]] = []
    seen_urls: dict[str, str] = {}  # repository -> the file of this batch that imported it
    with click.progressbar(files, label="Importing publiccode.yml files", show_pos=True) as bar:
        for path in bar:
            try:
                text = path.read_bytes()  # the parser decodes strictly as UTF-8 and reports where it fails
            except OSError as error:
                report.append((path, f"rejected: unreadable file ({error})"))
                continue
            try:
                outcome = run_import(text, community, donor=donor, author_id=None, publish=not draft,
                                     lenient=lenient, seen_urls=seen_urls, source=str(path))
            except Exception as error:  # one broken file must not stop the others, nor go unreported
                db.session.rollback()
                report.append((path, f"rejected: internal error ({type(error).__name__}: {error})"[:500]))
                continue
            if outcome.status == "rejected":
                db.session.rollback()
                reasons = "; ".join(f"{i.path or '-'}{f' (line {i.line})' if i.line else ''}: {i.message}"
                                    for i in outcome.errors)
                report.append((path, f"rejected: {reasons}"))
            elif outcome.status == "skipped":
                report.append((path, "skipped: " + "; ".join(i.message for i in outcome.warnings)))
            else:
                report.append((path, f"{outcome.status}: {outcome.practice.slug}"
                                     + (f" ({len(outcome.warnings)} warnings)" if outcome.warnings else "")))
    counts: dict[str, int] = {}
    for path, line in report:
        click.echo(f"{path}: {line}")
        counts[line.split(":")[0]] = counts.get(line.split(":")[0], 0) + 1
    click.echo("Summary: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
