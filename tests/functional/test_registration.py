"""Registration, e-mail confirmation and approval of a new person."""
from __future__ import annotations

import time

from sqlalchemy import func, select

from app.extensions import db
from app.models import AffiliationStatus, Organization, OrganizationStatus, User
from tests.conftest import PASSWORD, links_in, login, post


def registration(**overrides) -> dict:
    data = {
        "full_name": "Giulia Ferraris", "email": "giulia.ferraris@chieri.example.it", "job_title": "Funzionaria",
        "password": PASSWORD, "password_confirm": PASSWORD, "accept_terms": "y",
    }
    data.update(overrides)
    return data


def register(client, htmx=False, **overrides):
    return post(client, "/auth/register", registration(**overrides), page="/auth/register", htmx=htmx)


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar()


def test_register_into_existing_organization_then_confirm_and_get_approved(app, client, world, outbox):
    response = register(client, organization=str(world.org.id))
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/auth/registered")
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == "giulia.ferraris@chieri.example.it")).scalar_one()
        assert user.affiliation_status == AffiliationStatus.PENDING and not user.email_confirmed
        assert user.password_hash.startswith("$argon2id$")
    (confirmation,) = outbox
    assert confirmation.recipients == ["giulia.ferraris@chieri.example.it"]

    # Before confirming, the sign-in answers as for a wrong password, with a hint about the confirmation link (a
    # distinct answer would tell whoever registered an address whether it already had an account).
    refused = login(client, "giulia.ferraris@chieri.example.it")
    wrong = login(app.test_client(), "giulia.ferraris@chieri.example.it", password="Non è la password giusta 1")
    assert refused.status_code == wrong.status_code == 422
    assert "conferma prima il tuo indirizzo" in refused.get_data(as_text=True)
    assert alert_of(refused) == alert_of(wrong)

    link = links_in(confirmation, "/auth/confirm/")[0]
    confirmed = client.get(link)
    assert confirmed.status_code == 200 and "Indirizzo confermato" in confirmed.get_data(as_text=True)
    # The referent of the organisation is told someone waits for approval.
    assert [m.recipients for m in outbox[1:]] == [["referente@chieri.example.it"]]

    waiting = login(client, "giulia.ferraris@chieri.example.it")
    assert "in attesa di approvazione" in waiting.get_data(as_text=True)


def test_register_htmx_success_navigates_with_hx_redirect(client, world):
    response = register(client, htmx=True, organization=str(world.org.id))
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/auth/registered")


def test_register_asking_for_a_new_organization_creates_it_pending(app, client, world, outbox):
    response = register(client, organization="new", name="Comune di Pinerolo", kind="public_administration",
                        pa_kind="municipality", ipa_code="c_g674", region="01", province="TO",
                        website="https://www.comune.pinerolo.to.it")
    assert response.status_code == 303
    assert count(app, Organization) == 2  # created only when the address is confirmed (issue 11, point 27)
    client.get(links_in(outbox[0], "/auth/confirm/")[0])
    with app.app_context():
        organization = db.session.execute(select(Organization).where(Organization.name == "Comune di Pinerolo")).scalar_one()
        assert organization.status == OrganizationStatus.PENDING and organization.ipa_code == "c_g674"
        requester = db.session.execute(select(User).where(User.organization_id == organization.id)).scalar_one()
        assert requester.is_referent and requester.affiliation_status == AffiliationStatus.PENDING
    # An organisation without referents: the administrators decide.
    assert outbox[1].recipients == ["admin@example.it"]
    # A pending organisation is not in the directory and its page is hidden from visitors.
    assert "Comune di Pinerolo" not in client.get("/organizations/").get_data(as_text=True)
    assert client.get("/organizations/comune-di-pinerolo").status_code == 404


def test_an_address_with_an_account_gets_the_same_answer_as_a_new_one_and_its_owner_an_email(app, client, world,
                                                                                             outbox, monkeypatch):
    from app.auth import services as auth_services

    hashes = []
    real_hash = auth_services.hash_password
    monkeypatch.setattr(auth_services, "hash_password", lambda password: hashes.append(1) or real_hash(password))
    before = count(app, User)
    fresh = register(client, organization=str(world.org.id))
    assert (len(hashes), len(outbox)) == (1, 1)
    taken = register(client, organization=str(world.org.id), email="MEMBRO@chieri.example.it")
    # The same status, the same next page and the same work (one password hash, one e-mail): nothing tells them apart.
    assert fresh.status_code == taken.status_code == 303
    assert taken.headers["Location"] == fresh.headers["Location"].replace("giulia.ferraris", "membro")
    assert (len(hashes), len(outbox)) == (2, 2)
    fresh_page = client.get(fresh.headers["Location"]).get_data(as_text=True)
    taken_page = client.get(taken.headers["Location"]).get_data(as_text=True)
    assert fresh_page.replace("giulia.ferraris", "membro") == taken_page
    assert count(app, User) == before + 1  # only the new address got an account
    with app.app_context():
        member = db.session.get(User, world.member.id)
        assert member.full_name == "Membro" and member.password_hash.startswith("$argon2")  # the account is unchanged
        assert member.organization_id == world.org.id
    notice = outbox[1]
    assert notice.recipients == ["membro@chieri.example.it"] and "già un account" in notice.subject
    assert links_in(notice, "/auth/login") and links_in(notice, "/auth/reset")
    assert not links_in(notice, "/auth/confirm/")  # a confirmed account needs no confirmation link
    assert "Esiste già un account" not in taken_page


def test_an_address_with_an_account_asking_for_a_new_organization_creates_nothing(app, client, world, outbox):
    before = (count(app, User), count(app, Organization))
    response = register(client, htmx=True, organization="new", email="referente@asti.example.it",
                        name="Comune di Pinerolo", kind="public_administration", pa_kind="municipality",
                        ipa_code="c_g674", region="01", province="TO")
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/auth/registered")
    assert (count(app, User), count(app, Organization)) == before
    assert [m.recipients for m in outbox] == [["referente@asti.example.it"]]


def test_an_unconfirmed_owner_is_sent_a_working_confirmation_link(app, client, world, outbox):
    register(client, organization=str(world.org.id))
    again = register(client, organization=str(world.other_org.id), full_name="Altra Persona")
    assert again.status_code == 303
    notice = outbox[1]
    assert notice.recipients == ["giulia.ferraris@chieri.example.it"] and "Giulia Ferraris" in notice.body
    assert client.get(links_in(notice, "/auth/confirm/")[0]).status_code == 200
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == "giulia.ferraris@chieri.example.it")).scalar_one()
        assert user.email_confirmed and user.organization_id == world.org.id  # the second request changed nothing


def test_weak_password_is_refused_with_a_clear_message(app, client, world):
    response = register(client, organization=str(world.org.id), password="password123", password_confirm="password123")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="password-error"' in page
    assert "Password troppo facile da indovinare" in page
    short = register(client, organization=str(world.org.id), password="Ab1!", password_confirm="Ab1!")
    assert "almeno 10 caratteri" in short.get_data(as_text=True)
    assert count(app, User) == 5


def test_password_confirmation_must_match(client, world):
    response = register(client, organization=str(world.org.id), password_confirm="Un'altra frase qualunque 99")
    assert "Le due password non coincidono" in response.get_data(as_text=True)


def test_duplicate_ipa_code_is_refused_and_no_organization_created(app, client, world):
    before = count(app, Organization)
    response = register(client, organization="new", name="Doppione", kind="public_administration",
                        pa_kind="municipality", ipa_code="C_C627", region="01")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="ipa_code-error"' in page
    assert "già registrato per un altro ente" in page
    assert count(app, Organization) == before and count(app, User) == 5


def test_unknown_ipa_code_is_refused_when_the_registry_is_loaded(app, client, world, tmp_path, outbox):
    codes = tmp_path / "ipa.txt"
    codes.write_text("c_g674\nc_l219\nr_piemon\n")
    assert app.test_cli_runner().invoke(args=["organizations", "load-ipa-codes", str(codes)]).exit_code == 0
    response = register(client, organization="new", name="Comune inventato", kind="public_administration",
                        pa_kind="municipality", ipa_code="c_zzzz", region="01")
    assert "Codice IPA sconosciuto" in response.get_data(as_text=True)
    assert count(app, Organization) == 2
    accepted = register(client, organization="new", name="Comune di Pinerolo", kind="public_administration",
                        pa_kind="municipality", ipa_code="C_G674", region="01")
    assert accepted.status_code == 303
    client.get(links_in(outbox[0], "/auth/confirm/")[0])  # the organisation is created at confirmation
    with app.app_context():  # stored as the registry spells it
        assert db.session.execute(select(Organization.ipa_code).where(Organization.name == "Comune di Pinerolo")).scalar() == "c_g674"


def test_new_organization_rules_at_their_fields(client, world):
    page = register(client, organization="new", kind="public_administration", province="MI", region="01").get_data(as_text=True)
    assert 'id="name-error"' in page and 'id="pa_kind-error"' in page and 'id="ipa_code-error"' in page
    assert "La provincia scelta non appartiene alla regione indicata" in page
    supplier = register(client, organization="new", name="Fornitore Srl", kind="supplier", ipa_code="c_a479")
    assert "Solo le pubbliche amministrazioni hanno un codice IPA" in supplier.get_data(as_text=True)


def test_over_long_fields_are_refused_at_the_field(app, client, world):
    response = register(client, organization=str(world.org.id), full_name="x" * 121, job_title="y" * 121)
    page = response.get_data(as_text=True)
    assert 'id="full_name-error"' in page and 'id="job_title-error"' in page
    assert count(app, User) == 5


def test_htmx_error_variant_returns_only_the_form(client, world):
    response = register(client, htmx=True, organization=str(world.org.id), email="non-un-indirizzo")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert page.lstrip().startswith("<form") and "<html" not in page
    assert "Indirizzo e-mail non valido" in page
    assert "HX-Request" in response.headers["Vary"]


def test_missing_or_wrong_csrf_token_is_refused_and_nothing_saved(app, client, world):
    data = registration(organization=str(world.org.id))
    missing = client.post("/auth/register", data=data)
    wrong = client.post("/auth/register", data={**data, "csrf_token": "forged"})
    for response in (missing, wrong):
        assert response.status_code == 400
        assert "Sessione scaduta" in response.get_data(as_text=True)
    assert count(app, User) == 5


def test_reused_confirmation_link_says_already_confirmed(client, world, outbox):
    register(client, organization=str(world.org.id))
    link = links_in(outbox[0], "/auth/confirm/")[0]
    client.get(link)
    again = client.get(link)
    assert again.status_code == 200 and "già stato confermato" in again.get_data(as_text=True)
    assert len(outbox) == 2  # no second notification to the referent


def test_tampered_and_expired_confirmation_links_are_refused(app, client, world, outbox):
    register(client, organization=str(world.org.id))
    link = links_in(outbox[0], "/auth/confirm/")[0]
    tampered = client.get(link[:-3] + "abc")
    assert tampered.status_code == 400 and "non è valido" in tampered.get_data(as_text=True)
    app.config["CONFIRM_TOKEN_MAX_AGE"] = 0
    try:
        time.sleep(1.1)
        expired = client.get(link)
    finally:
        app.config["CONFIRM_TOKEN_MAX_AGE"] = 3 * 24 * 3600
    assert expired.status_code == 400 and "scaduto" in expired.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(User.email_confirmed_at).where(User.email.like("giulia%"))).scalar() is None


def test_resend_confirmation_does_not_reveal_accounts(client, world, outbox):
    known = post(client, "/auth/confirm", {"email": "attesa@chieri.example.it"}, page="/auth/confirm")
    unknown = post(client, "/auth/confirm", {"email": "nessuno@example.it"}, page="/auth/confirm")
    assert known.status_code == unknown.status_code == 303
    assert outbox == []  # both are confirmed or unknown: nothing to send


def test_signed_in_people_are_sent_away_from_registration(client, world, as_user):
    as_user(world.member)
    assert client.get("/auth/register").status_code == 303


def test_resend_confirmation_sends_a_new_link_to_an_unconfirmed_account(app, client, world, outbox):
    register(client, organization=str(world.org.id))
    post(client, "/auth/confirm", {"email": "Giulia.Ferraris@chieri.example.it"}, page="/auth/confirm")
    assert len(outbox) == 2 and outbox[1].recipients == ["giulia.ferraris@chieri.example.it"]
    assert client.get(links_in(outbox[1], "/auth/confirm/")[0]).status_code == 200


def test_hidden_new_organization_fields_are_ignored_for_an_existing_organization(app, client, world):
    response = register(client, organization=str(world.org.id), website="abc", ipa_code="!!")
    assert response.status_code == 303
    assert count(app, Organization) == 2


def alert_of(response) -> str:
    """The sign-in page's refusal, as a person reads it."""
    import re

    return re.search(r'<div class="alert[^"]*" role="alert".*?</div>', response.get_data(as_text=True), re.S).group(0)
