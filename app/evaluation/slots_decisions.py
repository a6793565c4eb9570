"""What decisions add to lower areas' pages (app/hooks.py slots): on the dashboard, the published feedback reports of
the person's organisation and, for who chairs a call in consensus, the candidacies still waiting for an outcome; on
an organisation's profile, its recognised practices."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import select

from app import permissions
from app.evaluation import access, decisions
from app.evaluation.workflow import CallPhase
from app.extensions import db
from app.hooks import contribute
from app.models import EvaluationCall, Practice
from app.models.evaluation import OUTCOME_LABELS


def _box(key: str, title: str, items: list[Markup], heading: str = "h2") -> Markup:
    return Markup('<section class="card card-bg mb-4" aria-labelledby="{key}"><div class="card-body">'
                  '<{h} class="h5 card-title" id="{key}">{title}</{h}>'
                  '<ul class="list-unstyled mb-0">{items}</ul></div></section>').format(
        key=key, h=Markup(heading), title=title,
        items=Markup("").join(Markup("<li>{}</li>").format(each) for each in items))


@contribute("dashboard")
def decisions_box(user, **_context):
    if not permissions.is_member(user):
        return None
    items = []
    if user.organization_id is not None and user.is_affiliated:
        for candidacy, decision in decisions.published_feedback_for(user.organization_id)[:5]:
            items.append(Markup('<a href="{url}">{text}</a>').format(
                url=url_for("evaluation.feedback", candidacy_id=candidacy.id),
                text=_("Resoconto: «%(practice)s» a %(call)s — %(outcome)s", practice=candidacy.practice.title,
                       call=candidacy.call.title, outcome=OUTCOME_LABELS.get(decision.outcome, ""))))
    calls = db.session.execute(select(EvaluationCall).where(
        EvaluationCall.phase == CallPhase.CONSENSUS, EvaluationCall.chair_id == user.id)
        .order_by(EvaluationCall.id)).scalars().all()
    for call in calls:
        waiting = [each for each in decisions.awaiting_decision(call) if access.can_decide(user, each)]
        if waiting:
            items.append(Markup('<a href="{url}">{text}</a>').format(
                url=url_for("evaluation.decision", candidacy_id=waiting[0].id),
                text=ngettext("%(call)s: %(num)d candidatura attende l'esito",
                              "%(call)s: %(num)d candidature attendono l'esito", len(waiting), call=call.title)))
    return _box("evaluation-decisions-box", _("Valutazione delle buone pratiche"), items) if items else None


@contribute("organization.profile")
def recognised_practices_of(organization, **_context):
    from app.practices.services import ArchiveFilters, archive_query

    practices = db.session.execute(archive_query(ArchiveFilters(recognised="1", sort="title"), None).where(
        Practice.donor_id == organization.id).limit(20)).scalars().all()
    if not practices:
        return None
    links = [Markup('<a href="{url}">{title}</a>').format(url=url_for("practices.show", slug=practice.slug),
                                                          title=practice.title) for practice in practices]
    return _box("evaluation-recognised-practices", _("Buone pratiche riconosciute"), links)


__all__ = ["decisions_box", "recognised_practices_of"]
