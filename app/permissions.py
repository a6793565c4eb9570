"""Who may do what. Plain functions (usable in templates as `perm.<name>`) plus decorators for routes.

Roles at this stage (DESIGN.md §2): visitor (anonymous), member (signed in, active in an organisation),
organisation referent (member with is_referent), platform administrator (is_admin).
"""
from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import Forbidden

if TYPE_CHECKING:
    from app.models import Organization, User


def is_signed_in(user) -> bool:
    return bool(user) and user.is_authenticated


def is_admin(user) -> bool:
    return is_signed_in(user) and user.is_admin


def is_member(user) -> bool:
    """Signed in and active in an organisation (administrators count as members too)."""
    return is_signed_in(user) and (user.is_admin or user.is_affiliated)


def is_referent_of(user, organization: Organization | None) -> bool:
    return (
        organization is not None
        and is_member(user)
        and user.is_referent
        and user.is_affiliated
        and user.organization_id == organization.id
    )


def can_view_organization(user, organization: Organization) -> bool:
    """Active organisations are public; one waiting for verification (or rejected) only to administrators.

    Its requester cannot sign in before the verification, so there is nobody else to show it to.
    """
    return organization.is_active or is_admin(user)


def can_manage_organization(user, organization: Organization) -> bool:
    """Edit the profile and manage the people: the organisation's referents and administrators."""
    return is_admin(user) or (organization.is_active and is_referent_of(user, organization))


def can_view_people(user, organization: Organization) -> bool:
    """Names of an organisation's people are for signed-in members, not for anonymous visitors."""
    return is_member(user) and can_view_organization(user, organization)


def can_view_user(viewer, person: User) -> bool:
    """A profile is visible to members while the person is active; always to themself and administrators."""
    if is_admin(viewer) or (is_signed_in(viewer) and viewer.id == person.id):
        return True
    if person.organization is not None and can_manage_organization(viewer, person.organization):
        return True  # referents see the people waiting for their approval
    return is_member(viewer) and person.can_sign_in


def can_see_contact_email(viewer, person: User) -> bool:
    if is_admin(viewer) or (is_signed_in(viewer) and viewer.id == person.id):
        return True
    return person.organization is not None and is_referent_of(viewer, person.organization)


def require(allowed: bool, reason=None) -> None:
    """Abort with 403 unless allowed (the login redirect for anonymous people is handled by login_required);
    `reason` (translated text) tells the person who can do it instead, on the 403 page."""
    if not allowed:
        error = Forbidden()
        error.reason = reason
        raise error


def admin_required(view):
    """Route decorator: platform administrators only; anonymous people are sent to sign in."""
    from flask_login import login_required

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        require(is_admin(current_user))
        return view(*args, **kwargs)

    return wrapper


# ---- communities ------------------------------------------------------------------------------------------------
# `membership` is the reader's own membership of the community (or None), loaded once by the route.

def can_view_community(user, community, membership) -> bool:
    """Open and moderated communities are public; a private one exists only for its active members."""
    if not community.is_private:
        return True
    return is_admin(user) or (is_member(user) and membership is not None and membership.is_active)


def can_manage_community(user, community, membership) -> bool:
    """Settings, requests, invitations, members: the community's facilitators and administrators."""
    return is_admin(user) or (is_member(user) and membership is not None and membership.is_facilitator)


def can_view_members(user, community, membership) -> bool:
    """Who is in a community is for signed-in members of the platform (and, if private, of the community)."""
    return is_member(user) and can_view_community(user, community, membership)


def can_create_community(user) -> bool:
    return is_admin(user)


# ---- practices --------------------------------------------------------------------------------------------------
# `community_membership` is the reader's membership of the practice's community (or None).

def is_donor_team(user, practice) -> bool:
    """People of the donor or a co-donor organisation write the practice and its kit."""
    return is_member(user) and user.organization_id is not None and user.organization_id in practice.donor_ids


# Who acts for an organisation (issue 11, point 13). Every active person of an organisation drafts for it: a new
# practice, its description while it is a draft, the kit's working version and its documents, an import that
# makes a draft. What the organisation states in public is stated by its referents: publishing, restoring or
# changing a published practice, publishing a kit version, the maintenance log, confirming a reuse, declaring a
# reuse, inviting or accepting a co-donor. Platform administrators act for any organisation, choosing which one
# when the form needs it.

def can_act_for(user, organization_id: int | None) -> bool:
    """Speak for the organisation in public: its active referents, and administrators."""
    return is_admin(user) or (is_of_organization(user, organization_id) and bool(user.is_referent))


def is_donor_referent(user, practice) -> bool:
    """A referent of the donor or of a co-donor organisation."""
    return is_donor_team(user, practice) and bool(user.is_referent)


def can_publish_practice(user, practice) -> bool:
    """Publish, restore or change a published practice and its kit: the donors' referents and administrators."""
    return practice.status != "archived" and (is_admin(user) or is_donor_referent(user, practice))


def can_view_practice(user, practice, community_membership) -> bool:
    """Published and archived practices of visible communities are public; drafts only to their donors."""
    if not can_view_community(user, practice.community, community_membership):
        return False
    return practice.status != "draft" or is_admin(user) or is_donor_team(user, practice)


def can_edit_practice(user, practice) -> bool:
    """Change the description: the donor team while it is a draft; once published, what changes is public, so
    only the donors' referents and administrators; an archived practice is never edited."""
    if practice.status == "draft":
        return is_admin(user) or is_donor_team(user, practice)
    return can_publish_practice(user, practice)


def can_write_kit(user, practice) -> bool:
    """Write the kit's working version and its documents (not public until published): the donor team."""
    return practice.status != "archived" and (is_admin(user) or is_donor_team(user, practice))


def why_not_publish(user, practice):
    """What the 403 page says to a donor-team member who may draft but not publish."""
    if practice.status == "archived":
        return _l("Una pratica archiviata non si modifica: prima va ripristinata da un referente dell'ente cedente.")
    if is_donor_team(user, practice):
        return _l("Puoi scrivere le bozze della pratica e del KIT; pubblicare o cambiare ciò che è pubblico spetta ai "
                  "referenti dell'ente cedente: chiedi a uno di loro.")
    return _l("Solo le persone degli enti cedenti scrivono questa pratica; la pubblicano i loro referenti.")


def can_moderate_practice(user, practice, community_membership) -> bool:
    """Facilitators of the practice's community (and administrators) can archive or un-publish it."""
    return can_manage_community(user, practice.community, community_membership)


def can_create_practice(user) -> bool:
    """Any active person of an organisation drafts a practice for it; administrators for any organisation."""
    return is_admin(user) or (is_member(user) and user.organization_id is not None)


def can_declare_reuse(user) -> bool:
    """Declaring a reuse commits the whole organisation: its referents do it."""
    return (is_signed_in(user) and is_of_organization(user, user.organization_id)
            and bool(user.is_referent))


def why_not_declare(user):
    """What the 403 page says to someone who may not declare a reuse."""
    if is_admin(user) and user.organization_id is None:
        return _l("Un riuso si dichiara a nome di un ente: lo fa un referente dell'ente che riusa.")
    return _l("Dichiarare un riuso impegna tutto l'ente: lo fa un referente del tuo ente. Chiedi a uno di loro, "
              "oppure scrivi ai cedenti con una richiesta di supporto.")


# ---- reuse ------------------------------------------------------------------------------------------------------
# Adoptions and support requests belong to two organisations: the reuser (or requester) and the practice's donors.

def is_supplier(user) -> bool:
    return is_member(user) and user.organization is not None and user.organization.kind == "supplier"


def is_of_organization(user, organization_id: int | None) -> bool:
    """An active person of that organisation."""
    return is_member(user) and organization_id is not None and user.organization_id == organization_id


def can_reuse(user, practice) -> bool:
    """Declare an adoption or ask for support: a person of an administration that is not among the donors.

    Suppliers offer services instead; they are never reusers. The practice's state is checked by the service,
    which explains a refusal instead of hiding the button.
    """
    return (is_member(user) and user.organization_id is not None and not is_supplier(user)
            and user.organization_id not in practice.donor_ids)


def can_update_adoption(user, adoption) -> bool:
    """Move an adoption along (start, complete, abandon, deployment record): its organisation's people."""
    return is_admin(user) or is_of_organization(user, adoption.organization_id)


def can_confirm_adoption(user, adoption) -> bool:
    """Confirm an adoption (a verified reuse): the donors' referents, never a supplier, and never the reusing
    organisation itself, even once it has become a co-donor."""
    return is_admin(user) or (is_donor_referent(user, adoption.practice) and not is_supplier(user)
                              and user.organization_id != adoption.organization_id)


def can_view_adoption(user, adoption) -> bool:
    """A confirmed adoption is public with its practice; an unconfirmed one only to the two organisations."""
    return adoption.is_confirmed or can_update_adoption(user, adoption) or is_donor_team(user, adoption.practice)


def is_request_donor(user, request) -> bool:
    """The donor team of the request's practice (administrators act as donors too), except the requesting
    organisation itself when it has become a co-donor: it stays the requester of its own requests."""
    return is_admin(user) or (is_donor_team(user, request.practice) and not is_requester(user, request))


def is_requester(user, request) -> bool:
    return is_of_organization(user, request.organization_id)


def can_view_request(user, request) -> bool:
    """A support request exists only for the two organisations and administrators."""
    return is_request_donor(user, request) or is_requester(user, request)


def can_see_internal_notes(user, request) -> bool:
    return is_request_donor(user, request)


def can_offer_services(user, practice) -> bool:
    """A supplier's people offer their services on a published practice."""
    return is_supplier(user) and practice.status == "published"


def can_moderate_offers(user, practice) -> bool:
    """The donor team (and administrators) hide or show a supplier's offer."""
    return is_admin(user) or (is_donor_team(user, practice) and not is_supplier(user))


# ---- questions and answers (issue 12) ---------------------------------------------------------------------------
# `membership` is the reader's membership of the question's community (or None), loaded once by the route. A post
# is a Question, an Answer or a Comment; each has author_id and visibility.

def qa_roles(user, question, membership) -> set:
    """The reader's roles on a question, for app.qa.workflow."""
    from app.qa.workflow import Role

    roles = set()
    if not is_member(user):
        return roles
    if is_admin(user):
        roles.add(Role.ADMIN)
    if question.author_id == user.id and can_answer_as_member(user, question, membership):
        roles.add(Role.ASKER)  # the asker still taking part (not removed from the community)
    if membership is not None and membership.is_facilitator:
        roles.add(Role.FACILITATOR)
    if question.practice is not None and is_donor_referent(user, question.practice):
        roles.add(Role.DONOR_REFERENT)
    return roles


def can_view_question(user, question, membership) -> bool:
    """A question is seen by whoever sees its community (and its practice, if any); one deleted by moderation
    only by the community's facilitators and administrators."""
    if not can_view_community(user, question.community, membership):
        return False
    if question.practice is not None and not can_view_practice(user, question.practice, membership):
        return False
    if question.visibility == "deleted":
        return can_moderate_qa(user, question.community, membership)
    return True


def can_moderate_qa(user, community, membership) -> bool:
    """Review reports, hide revisions, pin, close any question: the community's facilitators and administrators."""
    return can_manage_community(user, community, membership)


def is_active_member(user, membership) -> bool:
    return is_member(user) and membership is not None and membership.is_active


def can_ask(user, community, membership) -> bool:
    """Ask in a community: its active members (administrators anywhere)."""
    return is_admin(user) or is_active_member(user, membership)


def can_ask_about_practice(user, practice, membership) -> bool:
    """Ask about a published practice: the community's members, and the practice's donor team."""
    return practice.status == "published" and (can_ask(user, practice.community, membership)
                                               or is_donor_team(user, practice))


def can_answer(user, question, membership) -> bool:
    """Answer or comment: members of the community (suppliers included), and on a practice question its donor team,
    who may not be members; the question's state (closed) is checked by the workflow, which says why."""
    if not can_view_question(user, question, membership) or not question.visibility == "visible":
        return False
    if is_admin(user) or is_active_member(user, membership):
        return True
    return question.practice is not None and is_donor_team(user, question.practice)


def is_official_answerer(user, question) -> bool:
    """A person of the practice's donor or co-donor organisations, on a practice question: the donors' answer."""
    return question.practice is not None and is_donor_team(user, question.practice)


def can_edit_post(user, post, question, membership) -> bool:
    """Its author, while still able to take part; the community's facilitators and administrators edit directly."""
    if not can_view_question(user, question, membership) or post.visibility == "deleted":
        return False
    if can_moderate_qa(user, question.community, membership):
        return True
    return is_signed_in(user) and post.author_id == user.id and can_answer_as_member(user, question, membership)


def can_answer_as_member(user, question, membership) -> bool:
    """Take part in the question (as can_answer, whatever the post's moderation state)."""
    if is_admin(user) or is_active_member(user, membership):
        return True
    return question.practice is not None and is_donor_team(user, question.practice)


def can_vote(user, post, question, membership) -> bool:
    """Upvote a visible post of someone else: whoever may take part in the question."""
    return (can_answer(user, question, membership) and post.visibility == "visible"
            and post.author_id != user.id)


def can_report(user, post, question, membership) -> bool:
    """Report someone else's post: signed-in members of the platform who see it."""
    return (is_member(user) and can_view_question(user, question, membership) and post.visibility == "visible"
            and question.visibility == "visible" and post.author_id != user.id)


def can_follow_questions(user, community, membership) -> bool:
    """Follow a question, a community's or a practice's questions: signed-in members who see them."""
    return is_member(user) and can_view_community(user, community, membership)
