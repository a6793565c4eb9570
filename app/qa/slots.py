"""What Q&A shows in the pages of lower areas (app/hooks.py slots): the community's "Domande" tab, the practice's
"Discussione" tab, the dashboard's box and the accepted answers on profiles."""
from __future__ import annotations

from flask import get_template_attribute, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import permissions
from app.hooks import contribute
from app.qa import lists
from app.web import EmptyForm


@contribute("community.nav")
def community_tab(community, membership, active, **_context):
    current = active == "questions"
    return Markup('<li class="nav-item"><a class="nav-link{active}"{aria} href="{url}">{label}</a></li>').format(
        active=" active" if current else "", aria=Markup(' aria-current="page"') if current else "",
        url=url_for("qa.community_questions", slug=community.slug), label=_("Domande"))


@contribute("practice.discussion")
def practice_discussion(practice, membership, **_context):
    from app.qa import actions
    from app.qa.routes_lists import ask_refusal

    args = lists.parse_args(request.args, filters=lists.PRACTICE_FILTERS, sorts=("activity",), tags=False)
    page = lists.paginate(lists.practice_questions_query(practice, current_user, args), args.page)
    community = practice.community
    if practice.status != "published":
        refusal = _("Si fanno domande solo sulle pratiche pubblicate.")
    else:
        refusal = ask_refusal(community, membership, practice)
    return Markup(render_template(
        "qa/practice_discussion.html", practice=practice, membership=membership, args=args, page=page,
        official=lists.with_official_answer(page.items), filters=lists.PRACTICE_FILTERS, ask_refusal=refusal,
        may_follow=permissions.can_follow_questions(current_user, community, membership),
        follow_level=actions.follow_level(current_user, "practice", practice.id), follow_form=EmptyForm(formdata=None)))


@contribute("dashboard")
def dashboard_box(user, **_context):
    if not permissions.is_member(user):
        return None
    return Markup(get_template_attribute("qa/_list_macros.html", "my_questions_box")(lists.recent_of(user)))


@contribute("user.profile")
def accepted_answers_of_person(person, **_context):
    from app.qa.actions import accepted_answers_given

    return Markup(get_template_attribute("qa/_list_macros.html", "accepted_answers_line")(
        accepted_answers_given(user_id=person.id, reader=current_user)))


@contribute("organization.profile")
def accepted_answers_of_organization(organization, **_context):
    from app.qa.actions import accepted_answers_given

    return Markup(get_template_attribute("qa/_list_macros.html", "accepted_answers_line")(
        accepted_answers_given(organization_id=organization.id, reader=current_user), organization=True))


__all__ = ["community_tab", "practice_discussion", "dashboard_box", "accepted_answers_of_person",
           "accepted_answers_of_organization"]
