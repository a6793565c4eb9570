"""Communities end to end through the test client: membership, facilitators, invitations, leaks, queries."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Activity, Community, Invitation, Membership, MembershipEvent, Notification, User
from tests.conftest import count_queries, csrf_token, links_in, login, make_community, make_user, post


def membership(app, community_id, user_id) -> Membership | None:
    with app.app_context():
        row = db.session.execute(select(Membership).where(Membership.community_id == community_id,
                                                          Membership.user_id == user_id)).scalar_one_or_none()
        if row is not None:
            db.session.expunge(row)
        return row


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar()


def join_url(community, action):
    return f"/communities/{community.slug}/membership/{action}"


# ---- joining, requesting, leaving ---------------------------------------------------------------------------

def test_joining_an_open_community_is_immediate_and_swapped_in_place(app, client, cworld, as_user):
    as_user(cworld.outsider)
    response = post(client, join_url(cworld.open, "join"), htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Ti diamo il benvenuto nella comunità" in body and "Lascia la comunità" in body
    assert membership(app, cworld.open.id, cworld.outsider.id).status == "active"
    assert count(app, Activity, Activity.verb == "member.joined", Activity.actor_id == cworld.outsider.id) == 1


def test_joining_twice_is_refused_and_changes_nothing(app, client, cworld, as_user):
    as_user(cworld.member)
    events = count(app, MembershipEvent)
    response = post(client, join_url(cworld.open, "join"), htmx=True)
    assert "Fai già parte di questa comunità" in response.get_data(as_text=True)
    assert count(app, MembershipEvent) == events


def test_requesting_a_moderated_community_notifies_the_facilitators(app, client, cworld, as_user, outbox):
    as_user(cworld.outsider)
    refused = post(client, join_url(cworld.moderated, "join"), htmx=True)
    assert "approvata da un animatore" in refused.get_data(as_text=True)
    response = post(client, join_url(cworld.moderated, "request"), htmx=True)
    assert "Richiesta inviata" in response.get_data(as_text=True) and "Ritira la richiesta" in response.get_data(as_text=True)
    assert membership(app, cworld.moderated.id, cworld.outsider.id).status == "pending"
    with app.app_context():
        recipients = set(db.session.execute(select(Notification.user_id).where(
            Notification.verb == "membership.requested")).scalars())
    assert recipients == {cworld.facilitator.id, cworld.other_facilitator.id}
    assert sorted(m.recipients[0] for m in outbox) == sorted([cworld.facilitator.email, cworld.other_facilitator.email])


def test_private_community_cannot_be_joined_or_requested(app, client, cworld, as_user):
    as_user(cworld.outsider)
    assert post(client, join_url(cworld.private, "join")).status_code == 404
    assert post(client, join_url(cworld.private, "request")).status_code == 404
    assert membership(app, cworld.private.id, cworld.outsider.id) is None


def test_withdraw_and_leave_full_page_variants(app, client, cworld, as_user):
    as_user(cworld.pending)
    response = post(client, join_url(cworld.moderated, "withdraw"))
    assert response.status_code == 303 and response.headers["Location"] == f"/communities/{cworld.moderated.slug}"
    assert membership(app, cworld.moderated.id, cworld.pending.id).status == "left"
    post(client, "/auth/logout")
    as_user(cworld.member)
    post(client, join_url(cworld.open, "leave"), {"confirmed": "1"})
    assert membership(app, cworld.open.id, cworld.member.id).status == "left"
    rejoined = post(client, join_url(cworld.open, "join"))
    assert rejoined.status_code == 303 and membership(app, cworld.open.id, cworld.member.id).status == "active"


def test_leaving_a_private_community_sends_the_person_away(app, client, cworld, as_user):
    as_user(cworld.member)
    response = post(client, join_url(cworld.private, "leave"), {"confirmed": "1"}, htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/communities/"
    assert client.get(f"/communities/{cworld.private.slug}").status_code == 404


def test_the_last_facilitator_cannot_leave(app, client, cworld, as_user):
    as_user(cworld.facilitator)
    post(client, f"/communities/{cworld.open.slug}/memberships/"
                 f"{membership(app, cworld.open.id, cworld.other_facilitator.id).id}/demote")
    response = post(client, join_url(cworld.open, "leave"), {"confirmed": "1"}, htmx=True)
    assert "almeno un animatore" in response.get_data(as_text=True)
    assert membership(app, cworld.open.id, cworld.facilitator.id).role == "facilitator"


# ---- facilitators' queue -------------------------------------------------------------------------------------

def test_facilitator_approves_in_place_and_the_requester_is_notified(app, client, cworld, as_user, outbox):
    as_user(cworld.facilitator)
    queue = client.get(f"/communities/{cworld.moderated.slug}/requests").get_data(as_text=True)
    assert cworld.pending.name in queue
    target = membership(app, cworld.moderated.id, cworld.pending.id)
    response = post(client, f"/communities/{cworld.moderated.slug}/memberships/{target.id}/approve",
                    {"back": "requests"}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Paola Attesa ora fa parte della comunità" in body and "Nessuna richiesta in attesa" in body
    assert membership(app, cworld.moderated.id, cworld.pending.id).status == "active"
    assert [m.recipients for m in outbox] == [[cworld.pending.email]]
    with app.app_context():
        event_row = db.session.execute(select(MembershipEvent).where(
            MembershipEvent.membership_id == target.id)).scalar_one()
        assert (event_row.action, event_row.from_status, event_row.to_status, event_row.actor_id) == (
            "approve", "pending", "active", cworld.facilitator.id)


def test_reject_with_a_reason_that_reaches_the_person(app, client, cworld, as_user):
    as_user(cworld.facilitator)
    target = membership(app, cworld.moderated.id, cworld.pending.id)
    post(client, f"/communities/{cworld.moderated.slug}/memberships/{target.id}/reject",
         {"reason": "La comunità è riservata ai Comuni piemontesi.", "back": "requests"})
    assert membership(app, cworld.moderated.id, cworld.pending.id).status == "rejected"
    post(client, "/auth/logout")
    as_user(cworld.pending)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "non è stata accolta" in page and "riservata ai Comuni piemontesi" in page
    home = client.get(f"/communities/{cworld.moderated.slug}").get_data(as_text=True)
    assert "riservata ai Comuni piemontesi" in home and "Chiedi di iscriverti" in home


def test_approving_an_already_handled_request_is_refused(app, client, cworld, as_user, outbox):
    as_user(cworld.facilitator)
    target = membership(app, cworld.moderated.id, cworld.pending.id)
    url = f"/communities/{cworld.moderated.slug}/memberships/{target.id}/approve"
    post(client, url, {"back": "requests"})
    again = post(client, url, {"back": "requests"}, htmx=True)
    assert "già stata gestita" in again.get_data(as_text=True)
    assert len(outbox) == 1


def test_over_long_reason_is_refused_and_nothing_changes(app, client, cworld, as_user):
    as_user(cworld.facilitator)
    target = membership(app, cworld.moderated.id, cworld.pending.id)
    response = post(client, f"/communities/{cworld.moderated.slug}/memberships/{target.id}/reject",
                    {"reason": "x" * 1001, "back": "requests"}, htmx=True)
    assert "Al massimo 1000 caratteri" in response.get_data(as_text=True)
    assert membership(app, cworld.moderated.id, cworld.pending.id).status == "pending"


def test_membership_of_another_community_is_404(app, client, cworld, as_user):
    as_user(cworld.facilitator)
    foreign = membership(app, cworld.open.id, cworld.member.id)
    assert post(client, f"/communities/{cworld.moderated.slug}/memberships/{foreign.id}/remove").status_code == 404


def test_promote_remove_and_members_list(app, client, cworld, as_user):
    as_user(cworld.facilitator)
    target = membership(app, cworld.open.id, cworld.member.id)
    post(client, f"/communities/{cworld.open.slug}/memberships/{target.id}/promote", {"back": "members"})
    assert membership(app, cworld.open.id, cworld.member.id).role == "facilitator"
    page = client.get(f"/communities/{cworld.open.slug}/members").get_data(as_text=True)
    assert "3 persone iscritte" in page and "Comune di Bari" in page
    removed = post(client, f"/communities/{cworld.open.slug}/memberships/{target.id}/remove",
                   {"back": "members", "confirmed": "1"}, htmx=True)
    assert "2 persone iscritte" in removed.get_data(as_text=True)
    row = membership(app, cworld.open.id, cworld.member.id)
    assert (row.status, row.role) == ("removed", "member")


def test_a_removed_person_must_ask_to_come_back(app, client, cworld, as_user):
    as_user(cworld.facilitator)
    target = membership(app, cworld.open.id, cworld.member.id)
    post(client, f"/communities/{cworld.open.slug}/memberships/{target.id}/remove", {"confirmed": "1"})
    post(client, "/auth/logout")
    as_user(cworld.member)
    refused = post(client, join_url(cworld.open, "join"), htmx=True)
    assert "Chiedi di rientrare" in refused.get_data(as_text=True)
    post(client, join_url(cworld.open, "request"))
    assert membership(app, cworld.open.id, cworld.member.id).status == "pending"


def test_members_list_filters_by_organisation_kind_and_region(client, cworld, as_user):
    as_user(cworld.member)
    url = f"/communities/{cworld.open.slug}/members"
    assert "1 persona iscritta" in client.get(url + "?region=16").get_data(as_text=True)
    assert "2 persone iscritte" in client.get(url + "?org_kind=municipality&region=01").get_data(as_text=True)
    htmx = client.get(url + "?region=16", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in htmx and "Mario Membro" in htmx and "Fabia Animatrice" not in htmx


# ---- creating and editing --------------------------------------------------------------------------------------

def community_form(**overrides):
    data = {"name": "Servizio Europa associato", "slug": "", "theme": "eu_funds", "description": "## Chi siamo\n\nUffici **europei**.",
            "visibility": "open", "scope": "national", "region": "", "province": "",
            "facilitators": "animatrice@chieri.example.it, vice@chieri.example.it"}
    data.update(overrides)
    return data


def test_admin_creates_a_community_with_its_first_facilitators(app, client, cworld, as_user):
    as_user(cworld.admin)
    response = post(client, "/communities/new", community_form(), page="/communities/new")
    assert response.status_code == 303 and response.headers["Location"] == "/communities/servizio-europa-associato"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h2>Chi siamo</h2>" in page and "<strong>europei</strong>" in page
    assert "Fabia Animatrice" in page and "Vera Vice" in page
    with app.app_context():
        community = db.session.execute(select(Community).where(Community.slug == "servizio-europa-associato")).scalar_one()
        assert {(m.user_id, m.role) for m in db.session.execute(select(Membership).where(
            Membership.community_id == community.id)).scalars()} == {
            (cworld.facilitator.id, "facilitator"), (cworld.other_facilitator.id, "facilitator"),
            (cworld.admin.id, "facilitator")}  # issue 11 point 10: its creator is in it


def test_duplicate_slug_and_unknown_facilitator_are_refused_at_their_fields(app, client, cworld, as_user):
    as_user(cworld.admin)
    before = count(app, Community)
    response = post(client, "/communities/new", community_form(slug=cworld.open.slug, facilitators="nessuno@example.it"),
                    page="/communities/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="slug-error"' in page and "già usato da un" in page
    assert 'id="facilitators-error"' in page and "nessuno@example.it" in page
    assert count(app, Community) == before
    same_name = post(client, "/communities/new", community_form(name="Comunità open"), page="/communities/new")
    assert 'id="slug-error"' in same_name.get_data(as_text=True)  # the slug made from the name is taken too


def test_settings_validate_the_territory_and_keep_members(app, client, cworld, as_user):
    as_user(cworld.facilitator)
    url = f"/communities/{cworld.open.slug}/settings"
    bad = post(client, url, community_form(scope="province", region="01", province="BA"), page=url)
    assert bad.status_code == 422 and 'id="province-error"' in bad.get_data(as_text=True)
    good = post(client, url, community_form(name="Comunità aperta", slug=cworld.open.slug, visibility="moderated",
                                            scope="region", region="01"), page=url)
    assert good.status_code == 303
    with app.app_context():
        community = db.session.get(Community, cworld.open.id)
        assert (community.name, community.visibility, community.region_code) == ("Comunità aperta", "moderated", "01")
    assert membership(app, cworld.open.id, cworld.member.id).status == "active"


def test_description_markdown_is_sanitised(app, client, cworld, as_user):
    with app.app_context():
        community = db.session.get(Community, cworld.open.id)
        community.description = '<script>alert(1)</script>[clic](javascript:alert(1)) <img src=x onerror=alert(1)>'
        db.session.commit()
    page = client.get(f"/communities/{cworld.open.slug}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not run


# ---- invitations -------------------------------------------------------------------------------------------------

def test_invitation_to_a_private_community_works_once_for_the_invited_address(app, client, cworld, as_user, outbox):
    as_user(cworld.facilitator)
    url = f"/communities/{cworld.private.slug}/invitations"
    response = post(client, url, {"emails": "esterno@fornitore.example.it, non-una-email"}, page=url)
    assert response.status_code == 422 and "non-una-email" in response.get_data(as_text=True)
    assert count(app, Invitation) == 0
    post(client, url, {"emails": "esterno@fornitore.example.it\nmembro@bari.example.it"}, page=url)
    assert count(app, Invitation) == 1  # the member is already in
    invitation_mail = next(m for m in outbox if "/communities/invitations/" in m.body)
    path = re.sub(r"^https?://[^/]+", "", links_in(invitation_mail, "/communities/invitations/")[0])
    post(client, "/auth/logout")

    as_user(cworld.member)  # another address: refused, nothing consumed
    wrong = post(client, path, page=path)
    assert wrong.status_code == 409 and "un altro indirizzo" in wrong.get_data(as_text=True).replace("&#39;", "'")
    post(client, "/auth/logout")

    as_user(cworld.outsider)
    assert "Accetta l" in client.get(path).get_data(as_text=True)
    accepted = post(client, path, page=path)
    assert accepted.status_code == 303 and accepted.headers["Location"] == f"/communities/{cworld.private.slug}"
    assert membership(app, cworld.private.id, cworld.outsider.id).status == "active"
    reused = client.get(path)
    assert reused.status_code == 410 and "già stato usato" in reused.get_data(as_text=True)
    assert client.get("/communities/invitations/not-a-token").status_code == 410


def test_expired_invitation_is_refused(app, client, cworld, as_user, outbox):
    as_user(cworld.facilitator)
    url = f"/communities/{cworld.private.slug}/invitations"
    post(client, url, {"emails": "esterno@fornitore.example.it"}, page=url)
    path = re.sub(r"^https?://[^/]+", "", links_in(outbox[-1], "/communities/invitations/")[0])
    with app.app_context():
        from datetime import datetime

        db.session.execute(Invitation.__table__.update().values(expires_at=datetime(2020, 1, 1)))
        db.session.commit()
    post(client, "/auth/logout")
    as_user(cworld.outsider)
    response = post(client, path, page="/")
    assert response.status_code == 410 and "scaduto" in response.get_data(as_text=True)
    assert membership(app, cworld.private.id, cworld.outsider.id) is None


# ---- private content leaks nowhere -------------------------------------------------------------------------------

def test_private_community_is_invisible_to_non_members_everywhere(app, client, cworld, as_user):
    with app.app_context():
        private = db.session.get(Community, cworld.private.id)
        private.name = "Tavolo segreto dei responsabili"
        db.session.commit()
    for role in (None, cworld.outsider, cworld.pending):
        viewer = app.test_client()
        if role is not None:
            login(viewer, role)
        for url in ("/communities/", "/communities/?q=segreto", "/communities/?theme=procurement",
                    "/dashboard", "/notifications/"):
            page = viewer.get(url).get_data(as_text=True)
            assert "Tavolo segreto" not in page, (role, url)
        htmx = viewer.get("/communities/?q=tavolo", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert "Tavolo segreto" not in htmx and "0 comunità trovate" in htmx
        assert viewer.get(f"/communities/{cworld.private.slug}/members").status_code in (302, 404)
    member = app.test_client()
    login(member, cworld.member)
    assert "Tavolo segreto" in member.get("/communities/").get_data(as_text=True)


def test_directory_counts_only_what_the_reader_may_see(app, client, cworld):
    from tests.conftest import make_practice

    with app.app_context():
        community = db.session.get(Community, cworld.open.id)
        donor = db.session.get(User, cworld.member.id).organization
        make_practice("Pratica pubblicata", community, donor)
        make_practice("Pratica in bozza", community, donor, status="draft", kit={})
        db.session.commit()
    page = client.get("/communities/").get_data(as_text=True)
    assert "2 comunità trovate" in page
    assert page.count("3 persone iscritte") == 2  # two facilitators and one member each; pending people are not counted
    assert "1 pratica" in page and "2 pratiche" not in page  # drafts are not counted
    home = client.get(f"/communities/{cworld.open.slug}").get_data(as_text=True)
    assert "1 buona pratica pubblicata" in home


def test_private_activity_reaches_members_only_and_stops_when_they_leave(app, client, cworld, as_user):
    with app.app_context():
        db.session.add(Activity(community_id=cworld.private.id, actor_id=cworld.facilitator.id,
                                verb="facilitator.appointed", object_label="Nome riservato"))
        db.session.commit()
    as_user(cworld.member)
    assert "Nome riservato" in client.get("/dashboard").get_data(as_text=True)
    post(client, join_url(cworld.private, "leave"), {"confirmed": "1"})
    assert "Nome riservato" not in client.get("/dashboard").get_data(as_text=True)
    post(client, "/auth/logout")
    as_user(cworld.outsider)
    post(client, join_url(cworld.open, "join"))
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Comunità open" in dashboard and "Comunità private" not in dashboard and "Nome riservato" not in dashboard


def test_invitation_notifications_reach_only_the_invitee(app, client, cworld, as_user, outbox):
    as_user(cworld.facilitator)
    url = f"/communities/{cworld.private.slug}/invitations"
    post(client, url, {"emails": "esterno@fornitore.example.it"}, page=url)
    assert [m.recipients for m in outbox] == [["esterno@fornitore.example.it"]]  # one e-mail, not two
    with app.app_context():
        notes = db.session.execute(select(Notification)).scalars().all()
        assert [(n.user_id, n.link) for n in notes] == [(cworld.outsider.id, "/communities/my-invitations")]
    for other in (cworld.member, cworld.pending):
        viewer = app.test_client()
        login(viewer, other)
        assert "ti invita" not in viewer.get("/notifications/").get_data(as_text=True)
    post(client, "/auth/logout")
    as_user(cworld.outsider)
    page = client.get("/communities/my-invitations").get_data(as_text=True)
    assert "Comunità private" in page
    invitation_id = re.search(r"/communities/my-invitations/(\d+)/accept", page).group(1)
    accepted = post(client, f"/communities/my-invitations/{invitation_id}/accept", page="/communities/my-invitations")
    assert accepted.status_code == 303 and membership(app, cworld.private.id, cworld.outsider.id).status == "active"
    assert "Nessun invito in attesa" in client.get("/communities/my-invitations").get_data(as_text=True)


def test_a_stale_view_cannot_approve_a_request_handled_meanwhile(app, cworld):
    """Two facilitators: the second acts on what their page showed, but the row changed in between."""
    from app.communities import services
    from app.communities.workflow import Action, WorkflowError

    with app.test_request_context():
        community = db.session.get(Community, cworld.moderated.id)
        stale = db.session.execute(select(Membership).where(Membership.community_id == community.id,
                                                            Membership.user_id == cworld.pending.id)).scalar_one()
        with db.engine.begin() as other_connection:  # another worker rejects it meanwhile
            other_connection.execute(Membership.__table__.update().where(Membership.__table__.c.id == stale.id)
                                     .values(status="rejected"))
        facilitator = db.session.get(User, cworld.facilitator.id)
        person = db.session.get(User, cworld.pending.id)
        try:
            services.change_membership(community, person, Action.APPROVE, facilitator, membership=stale)
        except WorkflowError as error:
            assert "già stata gestita" in str(error)
        else:
            raise AssertionError("a handled request was approved again")
        db.session.rollback()
    assert membership(app, cworld.moderated.id, cworld.pending.id).status == "rejected"
    assert count(app, MembershipEvent) == 0 and count(app, Notification) == 0


def test_reject_reason_travels_in_the_email(app, client, cworld, as_user, outbox):
    as_user(cworld.facilitator)
    target = membership(app, cworld.moderated.id, cworld.pending.id)
    post(client, f"/communities/{cworld.moderated.slug}/memberships/{target.id}/reject",
         {"reason": "Riservata ai Comuni piemontesi.", "back": "requests"})
    (message,) = outbox
    assert message.recipients == [cworld.pending.email] and "Motivo: Riservata ai Comuni piemontesi." in message.body


def test_failed_immediate_email_is_kept_and_sent_again(app, client, cworld, as_user, outbox):
    from datetime import timedelta

    from app.models.base import utcnow

    state = app.extensions["mail"]
    state.suppress, state.port = False, 1  # nothing listens on port 1: sending fails
    try:
        as_user(cworld.outsider)
        response = post(client, join_url(cworld.moderated, "request"))
    finally:
        state.suppress, state.port = True, 25
    assert response.status_code == 303  # the person's request is saved all the same
    assert membership(app, cworld.moderated.id, cworld.outsider.id).status == "pending"
    assert count(app, Notification, Notification.emailed_at.is_(None)) == 2
    with app.app_context():
        db.session.execute(Notification.__table__.update().values(created_at=utcnow() - timedelta(minutes=11)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "send-digests"])
    assert "Failed immediate e-mails sent again: 2" in result.output
    assert sorted(m.recipients[0] for m in outbox[-2:]) == sorted([cworld.facilitator.email,
                                                                   cworld.other_facilitator.email])


def test_request_withdraw_request_does_not_flood_the_facilitators(app, client, cworld, as_user, outbox):
    as_user(cworld.outsider)
    for _ in range(3):
        post(client, join_url(cworld.moderated, "request"))
        post(client, join_url(cworld.moderated, "withdraw"))
    assert len(outbox) == 2  # one e-mail to each facilitator


def test_visitors_see_what_happened_but_not_who(app, client, cworld):
    with app.app_context():
        db.session.add(Activity(community_id=cworld.open.id, actor_id=cworld.member.id, verb="member.joined"))
        db.session.commit()
    page = client.get(f"/communities/{cworld.open.slug}").get_data(as_text=True)
    assert "Nuova iscrizione alla comunità" in page
    assert "Mario Membro" not in page and "Fabia Animatrice" not in page


def test_facilitator_can_step_down_but_not_remove_themself(app, client, cworld, as_user):
    as_user(cworld.facilitator)
    own = membership(app, cworld.open.id, cworld.facilitator.id)
    refused = post(client, f"/communities/{cworld.open.slug}/memberships/{own.id}/remove", {"confirmed": "1"},
                   htmx=True)
    assert "Lascia la comunità" in refused.get_data(as_text=True)
    post(client, f"/communities/{cworld.open.slug}/memberships/{own.id}/demote")
    row = membership(app, cworld.open.id, cworld.facilitator.id)
    assert (row.status, row.role) == ("active", "member")


def test_members_list_puts_facilitators_first(client, cworld, as_user):
    as_user(cworld.member)
    page = client.get(f"/communities/{cworld.open.slug}/members").get_data(as_text=True)
    table = page[page.index("<tbody>"):]
    assert table.index("Fabia Animatrice") < table.index("Vera Vice") < table.index("Mario Membro")


def test_route_words_cannot_be_slugs(client, cworld, as_user):
    as_user(cworld.admin)
    response = post(client, "/communities/new", community_form(slug="new"), page="/communities/new")
    assert response.status_code == 422 and 'id="slug-error"' in response.get_data(as_text=True)


def test_notifications_of_other_people_are_not_reachable(app, client, cworld, as_user):
    with app.app_context():
        note = Notification(user_id=cworld.facilitator.id, verb="membership.requested",
                            params={"actor": "X", "community": "Comunità private"}, link="/")
        db.session.add(note)
        db.session.commit()
        note_id = note.id
    as_user(cworld.outsider)
    assert post(client, f"/notifications/{note_id}/read").status_code == 404
    assert "Comunità private" not in client.get("/notifications/").get_data(as_text=True)


# ---- notifications -------------------------------------------------------------------------------------------------

def test_bell_counts_unread_and_mark_read_through_htmx(app, client, cworld, as_user):
    as_user(cworld.outsider)
    post(client, join_url(cworld.moderated, "request"))
    post(client, "/auth/logout")
    as_user(cworld.facilitator)
    home = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r'id="notification-bell".*?badge bg-danger">1<', home, re.S)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Ettore Esterno chiede di entrare nella comunità Comunità moderated" in page
    with app.app_context():
        note_id = db.session.execute(select(Notification.id).where(Notification.user_id == cworld.facilitator.id)).scalar()
    response = post(client, f"/notifications/{note_id}/read", htmx=True)
    body = response.get_data(as_text=True)
    assert "0 notifiche non lette" in body
    assert re.search(r'<a [^>]*id="notification-bell"[^>]*hx-swap-oob="true"', body) and "bg-danger" not in body
    assert 'badge bg-danger' not in client.get("/dashboard").get_data(as_text=True)
    opened = post(client, f"/notifications/{note_id}/read", {"open": "1"})
    assert opened.headers["Location"] == f"/communities/{cworld.moderated.slug}/requests"


def test_mark_all_read(app, client, cworld, as_user):
    with app.app_context():
        for n in range(3):
            db.session.add(Notification(user_id=cworld.member.id, verb="membership.approved",
                                        params={"community": f"C{n}"}))
        db.session.commit()
    as_user(cworld.member)
    response = post(client, "/notifications/read-all", htmx=True)
    assert "Notifiche segnate come lette: 3" in response.get_data(as_text=True)
    assert count(app, Notification, Notification.read_at.is_(None)) == 0


def test_email_preferences_never_and_daily_digest(app, client, cworld, as_user, outbox):
    with app.app_context():
        db.session.get(User, cworld.facilitator.id).notification_email = "daily"
        db.session.get(User, cworld.other_facilitator.id).notification_email = "never"
        db.session.commit()
    as_user(cworld.outsider)
    post(client, join_url(cworld.moderated, "request"))
    assert outbox == []  # neither facilitator wants immediate e-mail
    result = app.test_cli_runner().invoke(args=["notifications", "send-digests"])
    assert "Digests sent: 1" in result.output
    (digest,) = outbox
    assert digest.recipients == [cworld.facilitator.email] and "Ettore Esterno chiede di entrare" in digest.body
    again = app.test_cli_runner().invoke(args=["notifications", "send-digests"])
    assert "Digests sent: 0" in again.output and len(outbox) == 1


# ---- bounded queries -------------------------------------------------------------------------------------------

def test_directory_and_home_issue_a_bounded_number_of_queries(app, client, cworld, as_user):
    with app.app_context():  # one activity, so that loading their authors is measured in both states
        db.session.add(Activity(community_id=cworld.open.id, actor_id=cworld.member.id, verb="member.joined"))
        db.session.commit()
    as_user(cworld.member)
    small_directory = count_queries(app, client, "/communities/")
    small_home = count_queries(app, client, f"/communities/{cworld.open.slug}")
    small_members = count_queries(app, client, f"/communities/{cworld.open.slug}/members")
    with app.app_context():
        from tests.conftest import make_org

        organization = make_org("Comune grande", ipa_code="c_big1")
        people = [make_user(f"persona{n}@example.it", organization) for n in range(30)]
        open_community = db.session.get(Community, cworld.open.id)
        for n in range(20):
            make_community(f"Comunità extra {n}", facilitators=people[:2], members=people[2:])
        for person in people:
            db.session.add(Membership(community_id=open_community.id, user_id=person.id, status="active", role="member"))
            db.session.add(Activity(community_id=open_community.id, actor_id=person.id, verb="member.joined"))
        db.session.commit()
    assert count_queries(app, client, "/communities/") == small_directory
    assert count_queries(app, client, f"/communities/{cworld.open.slug}") == small_home
    assert count_queries(app, client, f"/communities/{cworld.open.slug}/members") == small_members


def test_an_action_on_the_members_list_keeps_its_filter_and_page(app, client, cworld, as_user):
    app.config["MEMBERS_PER_PAGE"] = 1
    try:
        as_user(cworld.facilitator)
        target = membership(app, cworld.open.id, cworld.member.id)
        current = f"http://localhost/communities/{cworld.open.slug}/members?org_kind=municipality&page=2"
        token = csrf_token(client, "/privacy")
        response = client.post(f"/communities/{cworld.open.slug}/memberships/{target.id}/promote",
                               data={"csrf_token": token, "back": "members"},
                               headers={"HX-Request": "true", "HX-Current-URL": current})
    finally:
        app.config["MEMBERS_PER_PAGE"] = 25
    body = response.get_data(as_text=True)
    assert "3 persone iscritte" in body and 'aria-current="page"' in body  # still filtered, still on page 2
    assert re.search(r'aria-current="page" href="[^"]*page=2', body)
    assert f'href="/communities/{cworld.open.slug}/members?org_kind=municipality&amp;page=3"' in body
    assert "membership_id=" not in body and "&amp;action=" not in body and "?action=" not in body


def test_inviting_nobody_is_refused(client, cworld, as_user):
    as_user(cworld.facilitator)
    url = f"/communities/{cworld.private.slug}/invitations"
    response = post(client, url, {"emails": " , ;"}, page=url)
    assert response.status_code == 422 and "Indica almeno un indirizzo" in response.get_data(as_text=True)
