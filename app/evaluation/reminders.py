"""The review reminder (`flask evaluation remind`, run daily from cron): reviewers with assignments still to do
are told when the call's review_due_on is 3 days away or less (overdue included), once per assignment
(Assignment.reminded_at)."""
from __future__ import annotations

from datetime import date, timedelta

import click
from flask import current_app, url_for
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.evaluation.core import commit_and_email
from app.evaluation.workflow import AssignmentStatus, CallPhase
from app.verbs import NOTIFICATION_TEXTS
from app.extensions import db
from app.models import Assignment, Candidacy, EvaluationCall
from app.models.base import utcnow

REMIND_DAYS = 3

NOTIFICATION_TEXTS.update({
    "evaluation.review_due": _l("Promemoria: hai una valutazione da inviare per l'avviso «%(call)s» entro il "
                                "%(due)s"),
})


def assignments_to_remind(today: date | None = None):
    """select(Assignment): still assigned, not reminded, in a call under review due within REMIND_DAYS days."""
    today = today or date.today()
    return (select(Assignment).join(Candidacy, Candidacy.id == Assignment.candidacy_id)
            .join(EvaluationCall, EvaluationCall.id == Candidacy.call_id)
            .where(Assignment.status == AssignmentStatus.ASSIGNED, Assignment.reminded_at.is_(None),
                   EvaluationCall.phase == CallPhase.REVIEW, EvaluationCall.review_due_on.is_not(None),
                   EvaluationCall.review_due_on <= today + timedelta(days=REMIND_DAYS))
            .order_by(Assignment.id))


def remind(today: date | None = None) -> int:
    """Notify each reviewer once per assignment still to do (claimed by stamping reminded_at); returns how many."""
    from app.notifications.services import notify
    from app.web import local_date

    now = utcnow()
    sent = 0
    ids = db.session.execute(assignments_to_remind(today).with_only_columns(Assignment.id)).scalars().all()
    for assignment_id in ids:
        claimed = db.session.execute(update(Assignment).where(
            Assignment.id == assignment_id, Assignment.reminded_at.is_(None)).values(reminded_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if claimed:
            assignment = db.session.get(Assignment, assignment_id)
            call = assignment.candidacy.call
            if assignment.user.can_sign_in:
                notify(assignment.user, "evaluation.review_due", link=url_for("evaluation.reviewer_dashboard"),
                       call=call.title, due=local_date(call.review_due_on))
            sent += 1
        commit_and_email()
    return sent


@click.command("remind")
@with_appcontext
def remind_command() -> None:
    """Remind reviewers of the assignments still to do when the review is due within 3 days (once each)."""
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        click.echo(f"Review reminders sent: {remind()}")
