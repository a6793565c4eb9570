"""Lists and asking (issue 12, point 8): the community's "Domande" tab, the ask form with its Markdown preview, and
"le mie domande". Thin routes: parse → permission → service → the page or its named block (htmx).

The practice's "Discussione" tab is served by practices.show through the `practice.discussion` slot
(app/qa/slots.py); the queries of every list are in app/qa/lists.py.
"""
from __future__ import annotations

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import permissions, submissions
from app.communities.routes import community_or_404
from app.extensions import db, limiter
from app.forms import clean_line, clean_text
from app.models import Practice
from app.models.qa import BODY_MAX
from app.qa import bp, lists, services
from app.qa.forms import AskForm
from app.qa.page import qa_markdown
from app.qa.routes_posting import user_key
from app.qa.services import QaError
from app.web import EmptyForm, redirect_to, render_page

ASK_LIMIT = "10 per hour"


def _asked(response) -> bool:
    return response.status_code < 400 and not request.form.get("preview")  # refused, invalid or previewed: free


ask_limit = limiter.limit(ASK_LIMIT, key_func=user_key, methods=["POST"], deduct_when=_asked)


def ask_refusal(community, membership, practice=None) -> str | None:
    """Why the reader may not ask here (None: they may)."""
    if practice is not None:
        if permissions.can_ask_about_practice(current_user, practice, membership):
            return None
    elif permissions.can_ask(current_user, community, membership):
        return None
    if not permissions.is_signed_in(current_user):
        return _("Accedi e iscriviti alla comunità per fare domande.")
    if not permissions.is_member(current_user):
        return _("Fanno domande le persone iscritte alla piattaforma e alla comunità.")
    return _("Iscriviti alla comunità per fare domande.")


# ---- the community's "Domande" tab ------------------------------------------------------------------------------

@bp.get("/communities/<slug>/questions")
def community_questions(slug: str):
    community, membership = community_or_404(slug)
    args = lists.parse_args(request.args)
    page = lists.paginate(lists.community_questions_query(community, current_user, args), args.page)
    from app.qa import actions

    return render_page("qa/community_questions.html", block="questions", community=community,
                       membership=membership, args=args, page=page, official=lists.with_official_answer(page.items),
                       ask_refusal=ask_refusal(community, membership),
                       may_follow=permissions.can_follow_questions(current_user, community, membership),
                       follow_level=actions.follow_level(current_user, "community", community.id),
                       filters=lists.COMMUNITY_FILTERS, follow_form=EmptyForm(formdata=None))


# ---- asking -----------------------------------------------------------------------------------------------------

def _practice_of(community, slug: str | None):
    """The practice of ?practice=<slug>: published and of this community, else 404."""
    if not slug:
        return None
    if clean_line(slug) != slug:  # no practice's slug has control characters (and NUL would stop PostgreSQL)
        abort(404)
    practice = db.session.execute(select(Practice).where(Practice.slug == slug[:300])).scalar_one_or_none()
    if practice is None or practice.community_id != community.id or practice.status != "published":
        abort(404)
    return practice


def _ask_page(form, community, membership, practice, status: int = 200, preview=None):
    return render_page("qa/ask.html", block="ask_form" if request.method == "POST" else None, form=form,
                       community=community, membership=membership, practice=practice, preview=preview,
                       status=status)


@bp.route("/communities/<slug>/questions/new", methods=["GET", "POST"])
@login_required
@ask_limit
def ask(slug: str):
    community, membership = community_or_404(slug)
    practice = _practice_of(community, request.values.get("practice"))
    refusal = ask_refusal(community, membership, practice)
    permissions.require(refusal is None, refusal)
    form = AskForm()
    if request.method == "POST" and request.form.get("preview"):
        # Without htmx the "Anteprima" button posts the whole form here: it comes back with the preview, unsaved.
        if not EmptyForm().validate_on_submit():
            abort(400)
        return _ask_page(form, community, membership, practice, preview=qa_markdown((form.body.data or "")[:BODY_MAX]))
    if form.validate_on_submit():
        token = clean_line(form.submission.data or "")
        if (earlier := submissions.already_created(token, current_user, "question")) is not None:
            # The same form sent again (a double click, a retried request): the question it already published.
            return redirect_to(url_for("qa.question", question_id=earlier))
        try:
            question = services.ask(current_user, community, title=form.title.data, body=form.body.data,
                                    tags=form.tag_list, practice=practice, token=token)
        except QaError as error:
            field = getattr(form, error.field, None) if error.field else None
            if field is not None:
                field.errors = [*field.errors, _(error.message)]
            else:
                form.form_errors.append(_(error.message))
            return _ask_page(form, community, membership, practice, status=422)
        flash(_("Domanda pubblicata."), "success")
        return redirect_to(url_for("qa.question", question_id=question.id))
    if form.is_submitted() and "csrf_token" in form.errors:
        abort(400)
    return _ask_page(form, community, membership, practice, status=422 if form.is_submitted() else 200)


@bp.post("/questions/preview")
@login_required
def preview():
    """The Markdown of the body field, rendered and sanitised (the ask form's "Anteprima")."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    body = clean_text(request.form.get("body") or "")[:BODY_MAX]
    return render_page("qa/_preview.html", block="preview", body=qa_markdown(body))


# ---- "le mie domande" -------------------------------------------------------------------------------------------

@bp.get("/questions/mine")
@login_required
def my_questions():
    tab = request.args.get("tab") or "asked"
    if tab not in lists.MINE_TABS:
        tab = "asked"
    page_number = int(request.args.get("page", "1"))  # checked by app.web (a small positive integer)
    page = lists.paginate(lists.my_questions_query(current_user, tab), page_number)
    return render_page("qa/mine.html", block="mine",
                       tab=tab, tabs=lists.MINE_TABS, page=page, official=lists.with_official_answer(page.items))
