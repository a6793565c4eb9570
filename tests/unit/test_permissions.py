"""The permission rules on their own, without the web layer."""
from __future__ import annotations

from flask_login import AnonymousUserMixin

from app import permissions as perm
from app.models import AffiliationStatus, Organization, OrganizationStatus, User

ANONYMOUS = AnonymousUserMixin()


def org(org_id: int, status=OrganizationStatus.ACTIVE) -> Organization:
    return Organization(id=org_id, name=f"Ente {org_id}", slug=f"ente-{org_id}", kind="public_administration",
                        status=status)


def person(user_id: int, organization: Organization | None, **fields) -> User:
    values = dict(affiliation_status=AffiliationStatus.ACTIVE, is_referent=False, is_admin=False,
                  email_confirmed_at=__import__("datetime").datetime(2026, 1, 1), session_token="t")
    values.update(fields)
    user = User(id=user_id, email=f"p{user_id}@example.it", full_name=f"P {user_id}", **values)
    user.organization = organization
    if organization is not None:
        user.organization_id = organization.id
    return user


def test_role_predicates():
    home, other = org(1), org(2)
    member, referent = person(1, home), person(2, home, is_referent=True)
    admin, pending = person(3, None, is_admin=True), person(4, home, affiliation_status=AffiliationStatus.PENDING)
    assert not perm.is_member(ANONYMOUS) and perm.is_member(member) and perm.is_member(admin)
    assert not perm.is_member(pending)
    assert perm.is_referent_of(referent, home) and not perm.is_referent_of(referent, other)
    assert not perm.is_referent_of(member, home) and not perm.is_referent_of(ANONYMOUS, home)


def test_managing_an_organization():
    home, other = org(1), org(2)
    referent, member, admin = person(2, home, is_referent=True), person(1, home), person(3, None, is_admin=True)
    removed_referent = person(5, home, is_referent=True, affiliation_status=AffiliationStatus.REMOVED)
    assert perm.can_manage_organization(referent, home) and not perm.can_manage_organization(referent, other)
    assert not perm.can_manage_organization(member, home) and perm.can_manage_organization(admin, other)
    assert not perm.can_manage_organization(removed_referent, home)
    assert not perm.can_manage_organization(ANONYMOUS, home)


def test_pending_organization_is_visible_only_to_admins():
    waiting = org(9, status=OrganizationStatus.PENDING)
    outsider, admin = person(2, org(1)), person(3, None, is_admin=True)
    assert perm.can_view_organization(admin, waiting)
    assert not perm.can_view_organization(outsider, waiting) and not perm.can_view_organization(ANONYMOUS, waiting)
    assert perm.can_view_organization(ANONYMOUS, org(1))


def test_people_and_contact_details():
    home = org(1)
    member, colleague, referent = person(1, home), person(2, home), person(3, home, is_referent=True)
    pending = person(4, home, affiliation_status=AffiliationStatus.PENDING)
    outsider = person(5, org(2))
    assert not perm.can_view_people(ANONYMOUS, home) and perm.can_view_people(outsider, home)
    assert perm.can_view_user(outsider, member) and not perm.can_view_user(outsider, pending)
    assert perm.can_view_user(referent, pending) and perm.can_view_user(member, member)
    assert perm.can_see_contact_email(referent, member) and perm.can_see_contact_email(member, member)
    assert not perm.can_see_contact_email(colleague, member) and not perm.can_see_contact_email(outsider, member)


def test_who_acts_for_an_organization():
    """Issue 11, point 13: people draft, referents speak for the organisation, administrators for any."""
    from app.models import Practice

    home, other = org(1), org(2)
    member, referent = person(1, home), person(2, home, is_referent=True)
    admin, outsider_referent = person(3, None, is_admin=True), person(4, other, is_referent=True)
    draft = Practice(id=1, status="draft", donor_id=1, title="T", slug="t")
    draft.co_donors = []
    published = Practice(id=2, status="published", donor_id=1, title="P", slug="p")
    published.co_donors = []
    archived = Practice(id=3, status="archived", donor_id=1, title="A", slug="a")
    archived.co_donors = []
    assert perm.can_act_for(referent, 1) and perm.can_act_for(admin, 1) and perm.can_act_for(admin, 2)
    assert not perm.can_act_for(member, 1) and not perm.can_act_for(referent, 2)
    assert not perm.can_act_for(ANONYMOUS, 1)
    # members draft: the description of a draft, the kit's working version of any non-archived practice
    assert perm.can_edit_practice(member, draft) and perm.can_write_kit(member, published)
    assert not perm.can_edit_practice(member, published) and not perm.can_publish_practice(member, draft)
    # referents (and administrators) publish and change what is public
    assert perm.can_edit_practice(referent, published) and perm.can_publish_practice(referent, draft)
    assert perm.can_edit_practice(admin, published) and not perm.can_edit_practice(outsider_referent, published)
    assert not any(perm.can_edit_practice(p, archived) or perm.can_write_kit(p, archived)
                   for p in (member, referent, admin))
    # a co-donor's referent publishes too, its plain members draft
    published.co_donors = [other]
    assert perm.can_publish_practice(outsider_referent, published)
    assert perm.can_write_kit(person(5, other), published) and not perm.can_publish_practice(person(5, other),
                                                                                               published)
    # the administrator documents a practice for an organisation they choose; declaring a reuse is for referents
    assert perm.can_create_practice(admin) and perm.can_create_practice(member)
    assert perm.can_declare_reuse(referent) and not perm.can_declare_reuse(member)
    assert not perm.can_declare_reuse(admin)
