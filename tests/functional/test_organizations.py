"""Directory, profile, profile editing and the management of an organisation's people."""
from __future__ import annotations



from app.extensions import db
from app.models import AffiliationStatus, Organization, OrganizationStatus, User
from tests.conftest import count_queries, make_org, post


def people_url(world, user_id, action):
    return f"/organizations/{world.org.slug}/people/{user_id}/{action}"


def test_directory_lists_active_organizations_with_filters(app, client, world):
    with app.app_context():
        make_org("Regione Piemonte", pa_kind="region", ipa_code="r_piemon", province_code=None)
        make_org("Comune di Bari", region_code="16", province_code="BA", ipa_code="c_a662")
        make_org("Software Solidale S.r.l.", kind="supplier", pa_kind=None, region_code="03", province_code=None)
        make_org("Comune in attesa", status=OrganizationStatus.PENDING)
        db.session.commit()
    page = client.get("/organizations/").get_data(as_text=True)
    assert "5 enti trovati" in page and "Comune in attesa" not in page
    by_kind = client.get("/organizations/?kind=municipality").get_data(as_text=True)
    assert "3 enti trovati" in by_kind and "Regione Piemonte" not in by_kind
    suppliers = client.get("/organizations/?kind=supplier").get_data(as_text=True)
    assert "1 ente trovato" in suppliers and "Software Solidale" in suppliers
    by_region = client.get("/organizations/?region=16").get_data(as_text=True)
    assert "Comune di Bari" in by_region and "Comune di Chieri" not in by_region
    by_name = client.get("/organizations/?q=chier").get_data(as_text=True)
    assert "Comune di Chieri" in by_name and "Comune di Asti" not in by_name
    by_code = client.get("/organizations/?q=c_a662").get_data(as_text=True)
    assert "Comune di Bari" in by_code
    # A LIKE wildcard typed by a person is a literal character, not "match everything".
    assert "0 enti trovati" in client.get("/organizations/?q=%25").get_data(as_text=True)


def test_directory_htmx_variant_returns_only_the_results(client, world):
    response = client.get("/organizations/?q=asti", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "<form" not in body
    assert "Comune di Asti" in body and "1 ente trovato" in body
    assert "HX-Request" in response.headers["Vary"]
    full = client.get("/organizations/?q=asti")  # the pushed URL works as a full page
    assert "<html" in full.get_data(as_text=True) and 'value="asti"' in full.get_data(as_text=True)
    restore = client.get("/organizations/?q=asti", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_directory_paginates(app, client, world):
    app.config["ORGANIZATIONS_PER_PAGE"] = 2
    try:
        with app.app_context():
            for n in range(3):
                make_org(f"Comune numero {n}")
            db.session.commit()
        first = client.get("/organizations/").get_data(as_text=True)
        last = client.get("/organizations/?page=3").get_data(as_text=True)
        beyond = client.get("/organizations/?page=99")
    finally:
        app.config["ORGANIZATIONS_PER_PAGE"] = 24
    assert "5 enti trovati" in first and 'aria-current="page"' in first and "page=2" in first
    assert "Comune numero 2" in last and "Comune di Asti" not in last
    assert beyond.status_code == 200


def test_directory_issues_a_bounded_number_of_queries(app, client, world):
    small = count_queries(app, client, "/organizations/")
    with app.app_context():
        for n in range(30):
            make_org(f"Ente di prova {n}")
        db.session.commit()
    assert count_queries(app, client, "/organizations/") == small <= 3


def test_profile_shows_people_only_to_signed_in_members(client, world, as_user):
    anonymous = client.get(f"/organizations/{world.org.slug}").get_data(as_text=True)
    assert "Comune di Chieri" in anonymous and "c_c627" in anonymous
    assert world.member.name not in anonymous and "visibili agli utenti registrati" in anonymous
    as_user(world.other_referent)
    signed_in = client.get(f"/organizations/{world.org.slug}").get_data(as_text=True)
    assert world.member.name in signed_in and world.referent.name in signed_in
    assert world.pending.name not in signed_in  # waiting people are not members yet
    assert "Gestisci le persone" not in signed_in


def test_referent_edits_the_profile_but_not_the_verified_identity(app, client, world, as_user):
    as_user(world.referent)
    url = f"/organizations/{world.org.slug}/edit"
    form_page = client.get(url).get_data(as_text=True)
    assert 'name="ipa_code"' not in form_page and "sono verificati" in form_page
    response = post(client, url, {"name": "Regione Lazio", "kind": "public_administration", "pa_kind": "region",
                                  "ipa_code": "r_lazio", "region": "12", "website": "https://www.comune.chieri.to.it",
                                  "email": "protocollo@comune.chieri.to.it", "description": "Città del tessile."},
                    page=url)
    assert response.status_code == 303
    page = client.get(f"/organizations/{world.org.slug}").get_data(as_text=True)
    assert "Città del tessile." in page and "https://www.comune.chieri.to.it" in page
    with app.app_context():
        organization = db.session.get(Organization, world.org.id)
        assert (organization.name, organization.pa_kind, organization.ipa_code, organization.region_code) == (
            "Comune di Chieri", "municipality", "c_c627", "01")


def test_admin_edits_the_identity_with_the_same_rules_as_registration(app, client, world, as_user):
    as_user(world.admin)
    url = f"/organizations/{world.org.slug}/edit"
    response = post(client, url, {"name": "Nuovo nome", "kind": "public_administration", "pa_kind": "municipality",
                                  "ipa_code": "c_a479", "region": "01", "website": "non un sito",
                                  "description": "x" * 5001}, page=url)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="ipa_code-error"' in page and 'id="website-error"' in page and 'id="description-error"' in page
    assert 'value="Nuovo nome"' in page
    with app.app_context():
        assert db.session.get(Organization, world.org.id).name == "Comune di Chieri"
    renamed = post(client, url, {"name": "Città di Chieri", "kind": "public_administration", "pa_kind": "municipality",
                                 "ipa_code": "c_c627", "region": "01", "province": "TO"}, page=url)
    assert renamed.status_code == 303
    with app.app_context():
        assert db.session.get(Organization, world.org.id).name == "Città di Chieri"


def test_only_web_addresses_are_accepted_as_website(client, world, as_user):
    as_user(world.referent)
    url = f"/organizations/{world.org.slug}/edit"
    response = post(client, url, {"website": "javascript://comune.it/%0aalert(document.domain)"}, page=url)
    assert response.status_code == 422 and 'id="website-error"' in response.get_data(as_text=True)


def test_a_referent_who_revokes_themself_is_sent_to_the_profile(app, client, world, as_user):
    as_user(world.referent)
    post(client, people_url(world, world.member.id, "make-referent"))
    response = post(client, people_url(world, world.referent.id, "revoke-referent"), htmx=True)
    assert response.status_code == 204 and response.headers["HX-Redirect"] == f"/organizations/{world.org.slug}"
    assert client.get(f"/organizations/{world.org.slug}/people").status_code == 403


def test_referent_approves_a_pending_person_in_place_through_htmx(app, client, world, as_user, outbox):
    as_user(world.referent)
    page = client.get(f"/organizations/{world.org.slug}/people").get_data(as_text=True)
    assert world.pending.email in page
    response = post(client, people_url(world, world.pending.id, "approve"), htmx=True,
                    page=f"/organizations/{world.org.slug}/people")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "è ora membro dell" in body and "Nessuna richiesta in attesa" in body
    assert [m.recipients for m in outbox] == [[world.pending.email]]
    with app.app_context():
        assert db.session.get(User, world.pending.id).affiliation_status == AffiliationStatus.ACTIVE


def test_approving_twice_is_refused_with_a_message(app, client, world, as_user, outbox):
    as_user(world.referent)
    url = people_url(world, world.pending.id, "approve")
    post(client, url)
    again = post(client, url, htmx=True)
    assert "Questa richiesta è già stata gestita" in again.get_data(as_text=True)
    assert len(outbox) == 1


def test_reject_full_page_variant_redirects_back(app, client, world, as_user, outbox):
    as_user(world.referent)
    response = post(client, people_url(world, world.pending.id, "reject"))
    assert response.status_code == 303 and response.headers["Location"].endswith("/people")
    assert "Richiesta di Attesa respinta" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, world.pending.id).affiliation_status == AffiliationStatus.REJECTED


def test_make_referent_remove_and_the_last_referent_rule(app, client, world, as_user):
    as_user(world.referent)
    refused = post(client, people_url(world, world.referent.id, "revoke-referent"), htmx=True)
    assert "Non puoi revocare l&#39;ultimo referente" in refused.get_data(as_text=True)
    refused = post(client, people_url(world, world.referent.id, "remove"), htmx=True)
    assert "Non puoi rimuovere l&#39;ultimo referente" in refused.get_data(as_text=True)
    post(client, people_url(world, world.member.id, "make-referent"))
    with app.app_context():
        assert db.session.get(User, world.member.id).is_referent
    post(client, people_url(world, world.member.id, "remove"))
    with app.app_context():
        removed = db.session.get(User, world.member.id)
        assert removed.affiliation_status == AffiliationStatus.REMOVED and not removed.is_referent


def test_removed_person_loses_open_sessions(app, world):
    from tests.conftest import login

    member_client, referent_client = app.test_client(), app.test_client()
    login(member_client, world.member)
    assert member_client.get("/users/me").status_code == 200
    login(referent_client, world.referent)
    post(referent_client, people_url(world, world.member.id, "remove"))
    assert member_client.get("/users/me").status_code == 302


def test_people_action_on_a_person_of_another_organization_is_404(client, world, as_user):
    as_user(world.referent)
    assert post(client, people_url(world, world.other_referent.id, "remove")).status_code == 404
    assert post(client, people_url(world, world.member.id, "explode")).status_code == 404


def test_admin_accepts_a_new_organization_and_its_requester_becomes_referent(app, client, world, as_user, outbox):
    with app.app_context():
        from tests.conftest import make_user

        organization = make_org("Comune di Pinerolo", status=OrganizationStatus.PENDING, ipa_code="c_g674")
        requester = make_user("sindaco@pinerolo.example.it", organization, is_referent=True,
                              affiliation_status=AffiliationStatus.PENDING)
        db.session.commit()
        org_id, requester_id = organization.id, requester.id
    as_user(world.admin)
    queue = client.get("/admin/").get_data(as_text=True)
    assert "Comune di Pinerolo" in queue and "sindaco@pinerolo.example.it" in queue
    response = post(client, f"/admin/organizations/{org_id}/accept", htmx=True, page="/admin/")
    assert response.status_code == 200 and "Nessun ente in attesa di verifica" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organization, org_id).status == OrganizationStatus.ACTIVE
        person = db.session.get(User, requester_id)
        assert person.affiliation_status == AffiliationStatus.ACTIVE and person.is_referent
    assert [m.recipients for m in outbox] == [["sindaco@pinerolo.example.it"]]
    again = post(client, f"/admin/organizations/{org_id}/reject", htmx=True, page="/admin/")
    assert "già stata gestita" in again.get_data(as_text=True)


def test_rejecting_an_organization_refuses_every_requester_and_frees_its_ipa_code(app, client, world, as_user):
    with app.app_context():
        from tests.conftest import make_user

        organization = make_org("Comune abusivo", status=OrganizationStatus.PENDING, ipa_code="c_g674")
        unconfirmed = make_user("furbo@example.it", organization, is_referent=True, email_confirmed_at=None,
                                affiliation_status=AffiliationStatus.PENDING)
        db.session.commit()
        org_id, person_id = organization.id, unconfirmed.id
    as_user(world.admin)
    assert post(client, f"/admin/organizations/{org_id}/reject", page="/admin/").status_code == 303
    with app.app_context():
        assert db.session.get(Organization, org_id).ipa_code is None
        person = db.session.get(User, person_id)
        assert person.affiliation_status == AffiliationStatus.REJECTED and not person.is_referent
        from app.organizations.validation import ipa_code_problem

        with app.test_request_context():
            assert ipa_code_problem("c_g674") is None  # the real Comune can now register with its code


def test_admin_sees_people_whose_organization_has_no_referent(app, client, world, as_user):
    with app.app_context():
        from tests.conftest import make_user

        lonely = make_org("Comune senza referente")
        make_user("solo@example.it", lonely, affiliation_status=AffiliationStatus.PENDING)
        db.session.commit()
    as_user(world.admin)
    assert "solo@example.it" in client.get("/admin/").get_data(as_text=True)
