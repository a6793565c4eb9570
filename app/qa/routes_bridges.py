"""Bridges between questions and support requests: parse → permission → service → page or redirect.

- qa.escalate GET/POST /questions/<id>/escalate — the support request form, prefilled from the question;
- qa.propose_publication GET/POST /support/<id>/publish — the donors propose (form), the requester reads the
  proposal and decides (page);
- qa.decide_publication POST /support/<id>/publish/<link_id>/<agree|refuse>.
A request exists only for its two organisations and administrators (404 for anyone else, as on its own page).
"""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app import permissions
from app.extensions import db, limiter
from app.forms import FlaskForm
from app.models.qa import BODY_MAX, TITLE_MAX, SupportLink
from app.qa import bp, bridges
from app.qa.queries import question_or_404
from app.qa.routes_posting import user_key as _user_key
from app.qa.services import QaError
from app.web import EmptyForm, redirect_to, render_page


class PublishForm(FlaskForm):
    """A donor's proposal: the question and the answer to publish (editable)."""

    title = StringField(_l("Titolo della domanda"), validators=[
        DataRequired(message=_l("Scrivi la domanda in una riga.")),
        Length(max=TITLE_MAX, message=_l("Il titolo può avere al massimo %(max)d caratteri.", max=TITLE_MAX))])
    body = TextAreaField(_l("Testo della domanda"), validators=[
        DataRequired(message=_l("Il testo non può essere vuoto.")),
        Length(max=BODY_MAX, message=_l("Il testo può avere al massimo %(max)d caratteri.", max=BODY_MAX))],
        description=_l("Puoi usare Markdown: **grassetto**, elenchi, collegamenti."))
    answer = TextAreaField(_l("Risposta dei cedenti"), validators=[
        DataRequired(message=_l("Scrivi la risposta.")),
        Length(max=BODY_MAX, message=_l("Il testo può avere al massimo %(max)d caratteri.", max=BODY_MAX))],
        description=_l("Preparata dai messaggi dei cedenti nella richiesta (mai dalle note interne)."))


def _show_error(form, error: QaError) -> None:
    db.session.rollback()
    if error.field and error.field in form:
        form[error.field].errors = list(form[error.field].errors) + [_(error.message)]
    else:
        form.form_errors.append(_(error.message))


# ---- escalate --------------------------------------------------------------------------------------------------

@bp.route("/questions/<int:question_id>/escalate", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", key_func=_user_key, methods=["POST"])
def escalate(question_id: int):
    """Open a support request to the practice's donors from the question."""
    from app.reuse import services as reuse_services
    from app.reuse.forms import SupportRequestForm
    from app.reuse.services import ReuseError
    from app.reuse.support import AttachmentsRefused

    question, _membership = question_or_404(question_id)
    reason = bridges.why_not_escalate(current_user, question)
    permissions.require(permissions.is_member(current_user) and reason is None, _(reason) if reason else None)
    form = SupportRequestForm(adoptions=reuse_services.adoptions_of(current_user, question.practice))
    if request.method == "GET":
        form.subject.data = question.title[:200]
        form.description.data = bridges.prefill_description(
            question, url_for("qa.question", question_id=question.id, _external=False))
    if form.validate_on_submit():
        try:
            created = bridges.escalate(
                current_user, question, kind=form.kind.data, subject=form.subject.data,
                description=form.description.data, files=form.files.data, token=form.submission.data,
                adoption_id=int(form.adoption.data) if (form.adoption.data or "").isdigit() else None)
        except (QaError, ReuseError) as error:
            db.session.rollback()
            name = getattr(error, "field", None)
            message = error.message if isinstance(error, QaError) else str(error)
            if name and name in form:
                form[name].errors = list(form[name].errors) + [_(message)]
            else:
                form.form_errors.append(_(message))
        except AttachmentsRefused as refused:
            db.session.rollback()
            form.files.errors = [_("«%(name)s»: %(reason)s", name=r.filename, reason=_(r.msgid, **r.params))
                                 for r in refused.rejections]
        else:
            flash(_("Richiesta inviata ai cedenti: è collegata alla domanda."), "success")
            return redirect_to(url_for("reuse.support_request", request_id=created.id))
    return render_page("qa/escalate.html", block="form", form=form, question=question,
                       status=422 if form.is_submitted() else 200)


# ---- publish ---------------------------------------------------------------------------------------------------

def _request_or_404(request_id: int):
    """The request, if this reader may see it (its practice first: a private community's is a 404 outside)."""
    from app.practices.routes import _practice_or_404
    from app.reuse import support

    found = support.request_by_id(request_id)
    if found is None:
        abort(404)
    _practice_or_404(found.practice.slug)
    if not permissions.can_view_request(current_user, found):
        abort(404)
    return found


@bp.route("/support/<int:request_id>/publish", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per hour", key_func=_user_key, methods=["POST"])
def propose_publication(request_id: int):
    """Donors: propose to publish the request as a solved question. Requester: read the proposal and decide."""
    found = _request_or_404(request_id)
    publication = bridges.publication_of(found)
    waiting = publication is not None and publication.state == bridges.PROPOSED
    if request.method == "GET" and waiting and permissions.is_requester(current_user, found):
        return render_page("qa/publish.html", mode="decide", req=found, publication=publication, form=EmptyForm())
    reason = bridges.why_not_propose(current_user, found)
    if request.method == "GET" and reason is not None:
        # Who may see the request but not propose: the proposal's state, or a 403 with the reason.
        permissions.require(publication is not None, _(reason))
        return render_page("qa/publish.html", mode="state", req=found, publication=publication, form=EmptyForm())
    if request.method == "POST":
        # Only who may never propose is refused here. A state that changed since the page was read (a colleague
        # proposed first) is the service's to tell, under the row lock, at the form: the same answer whichever of
        # two simultaneous proposals committed first.
        permissions.require(permissions.is_request_donor(current_user, found),
                            _("Propongono la pubblicazione i cedenti della pratica."))
    form = PublishForm(data=bridges.prefill_publication(found) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            bridges.propose_publication(current_user, found, title=form.title.data, body=form.body.data,
                                        answer=form.answer.data)
        except QaError as error:
            _show_error(form, error)
        else:
            flash(_("Proposta inviata: la domanda sarà pubblicata se chi ha chiesto supporto è d'accordo."),
                  "success")
            return redirect_to(url_for("reuse.support_request", request_id=found.id))
    return render_page("qa/publish.html", block="form", mode="propose", req=found, publication=publication,
                       form=form, status=422 if form.is_submitted() else 200)


@bp.route("/support/<int:request_id>/publish/<int:link_id>/<decision>", methods=["POST"])
@login_required
@limiter.limit("20 per hour", key_func=_user_key)
def decide_publication(request_id: int, link_id: int, decision: str):
    """The requesting organisation agrees to the publication (the solved question is created) or refuses it."""
    found = _request_or_404(request_id)
    if decision not in ("agree", "refuse"):
        abort(404)
    link = db.session.get(SupportLink, link_id)
    if link is None or link.support_request_id != found.id or link.kind != bridges.PUBLISHED:
        abort(404)
    permissions.require(permissions.is_requester(current_user, found),
                        _("Decide chi ha chiesto supporto, per il suo ente."))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        bridges.decide_publication(current_user, link, found, agree=decision == "agree")
    except QaError as error:
        db.session.rollback()
        form = EmptyForm(formdata=None)
        form.form_errors.append(_(error.message))
        return render_page("qa/publish.html", mode="state", req=found, publication=bridges.publication_of(found),
                           form=form, status=422)
    if decision == "agree":
        flash(_("Pubblicata come domanda risolta nella comunità."), "success")
        return redirect_to(url_for("qa.question", question_id=link.question_id))
    flash(_("Va bene: la richiesta non sarà pubblicata."), "success")
    return redirect_to(url_for("reuse.support_request", request_id=found.id))


__all__ = ["escalate", "propose_publication", "decide_publication", "PublishForm"]
