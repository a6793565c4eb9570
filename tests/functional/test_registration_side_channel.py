"""Issue 11, point 27: registering must not reveal whether an address has an account.

A new organisation asked for at registration is written on the account and created only when the address is
confirmed, so its IPA code is reserved by nobody before then, and asking for the same code again answers the same
whether the first address was new or already had an account.
"""
from __future__ import annotations

import re
import threading
import time

from sqlalchemy import func, select

from app.extensions import db
from app.models import AffiliationStatus, Organization, OrganizationStatus, User
from tests.conftest import PASSWORD, csrf_token, links_in, login, make_org, make_user, post
from tests.functional.test_registration import registration


def new_org(email: str, code: str, **overrides) -> dict:
    return registration(email=email, organization="new", name=overrides.pop("name", f"Comune {code}"),
                        kind="public_administration", pa_kind="municipality", ipa_code=code, region="01",
                        province="TO", city="Pinerolo", website="https://www.comune.pinerolo.to.it", **overrides)


def register(client, data: dict, htmx: bool = False):
    return post(client, "/auth/register", data, page="/auth/register", htmx=htmx)


def organizations(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(
            select(Organization.ipa_code, Organization.status).order_by(Organization.id)).all()]


def account(app, email: str) -> User:
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        db.session.expunge(user)
        return user


def confirmation_link(outbox, email: str) -> str:
    return next(links_in(m, "/auth/confirm/")[0] for m in reversed(outbox)
                if m.recipients == [email] and links_in(m, "/auth/confirm/"))


def answer(response) -> tuple:
    """What whoever registers sees: the status, where it leads, and that page (with the address taken out)."""
    return response.status_code, re.sub(r"email=[^&]*", "email=…", response.headers.get("Location", ""))


def test_asking_again_for_a_code_answers_the_same_whether_the_first_address_was_new_or_not(app, client, world,
                                                                                            outbox):
    before = organizations(app)
    # A: a new address asking for Z; B: an address with an account asking for Y.
    first_new = register(client, new_org("nuova@pinerolo.example.it", "c_g674"))
    first_taken = register(app.test_client(), new_org("referente@asti.example.it", "c_g675"))
    assert answer(first_new) == answer(first_taken) == (303, "/auth/registered?email=…")
    tokens = r'"X-CSRFToken": "[^"]+"|name="csrf_token" type="hidden" value="[^"]+"'  # they carry the time
    pages = [re.sub(tokens, "…",
                    client.get(r.headers["Location"]).get_data(as_text=True).replace(email, "X"))
             for r, email in ((first_new, "nuova@pinerolo.example.it"), (first_taken, "referente@asti.example.it"))]
    assert pages[0] == pages[1] and "Controlla la tua e-mail" in pages[0]
    assert organizations(app) == before  # nothing created before a confirmation
    # Asking again for Z and for Y, from other new addresses, and plainly and through htmx: the same answers.
    for htmx in (False, True):
        again_z = register(app.test_client(), new_org(f"altra{htmx:d}@pinerolo.example.it", "c_g674"), htmx=htmx)
        again_y = register(app.test_client(), new_org(f"terza{htmx:d}@pinerolo.example.it", "c_g675"), htmx=htmx)
        assert again_z.status_code == again_y.status_code == (204 if htmx else 303)
        assert [r.headers.get("HX-Redirect", r.headers.get("Location")).split("?")[0] for r in (again_z, again_y)] \
            == ["/auth/registered"] * 2
    # Even the address with an account asking once more for Y is not refused at the field.
    assert register(app.test_client(), new_org("referente@asti.example.it", "c_g675")).status_code == 303
    assert organizations(app) == before
    # Neither code is offered as held by the search of the registration page.
    for code in ("c_g674", "c_g675"):
        found = post(app.test_client(), "/auth/register", {"step": "search", "organization_search": code},
                     page="/auth/register").get_data(as_text=True)
        assert "già registrato" not in found and "Comune c_g67" not in found
    with app.app_context():
        owner = db.session.get(User, world.other_referent.id)
        assert owner.requested_organization is None and owner.organization_id == world.other_org.id


def test_confirming_creates_the_pending_organisation_with_its_requester_as_referent(app, client, world, outbox):
    assert register(client, new_org("nuova@pinerolo.example.it", "C_G674")).status_code == 303
    waiting = account(app, "nuova@pinerolo.example.it")
    assert waiting.organization_id is None and not waiting.is_referent
    assert waiting.requested_organization["ipa_code"] == "C_G674"
    # Before confirming: no organisation, and the sign-in answers as for a wrong password.
    assert login(app.test_client(), "nuova@pinerolo.example.it").status_code == 422
    confirmed = client.get(confirmation_link(outbox, "nuova@pinerolo.example.it"))
    page = confirmed.get_data(as_text=True)
    assert confirmed.status_code == 200 and "Indirizzo confermato" in page
    assert "attende la verifica dell'amministrazione della piattaforma" in page
    with app.app_context():
        organization = db.session.execute(select(Organization).where(
            func.lower(Organization.ipa_code) == "c_g674")).scalar_one()
        assert (organization.status, organization.name, organization.city, organization.province_code,
                organization.website) == (OrganizationStatus.PENDING, "Comune C_G674", "Pinerolo", "TO",
                                          "https://www.comune.pinerolo.to.it")
        person = db.session.execute(select(User).where(User.email == "nuova@pinerolo.example.it")).scalar_one()
        assert person.organization_id == organization.id and person.is_referent
        assert person.affiliation_status == AffiliationStatus.PENDING and person.requested_organization is None
    assert outbox[-1].recipients == ["admin@example.it"] and "nuovo ente" in outbox[-1].body
    # The code is now taken: a further request for it is refused at the field, as before point 27.
    refused = register(app.test_client(), new_org("dopo@pinerolo.example.it", "c_g674"))
    assert refused.status_code == 422 and "già registrato per un altro ente" in refused.get_data(as_text=True)
    # The link used again changes nothing.
    again = client.get(confirmation_link(outbox, "nuova@pinerolo.example.it"))
    assert again.status_code == 200 and "già stato confermato" in again.get_data(as_text=True)
    assert len(organizations(app)) == 3


def test_two_requests_for_the_same_code_make_one_organisation_and_the_second_asks_to_join_it(app, client, world,
                                                                                              outbox):
    for email in ("prima@pinerolo.example.it", "seconda@pinerolo.example.it"):
        assert register(app.test_client(), new_org(email, "c_g674")).status_code == 303
    client.get(confirmation_link(outbox, "prima@pinerolo.example.it"))
    second = client.get(confirmation_link(outbox, "seconda@pinerolo.example.it"))
    page = second.get_data(as_text=True)
    assert second.status_code == 200 and "Indirizzo confermato" in page
    assert "un'altra persona ha registrato l'ente" in page and "Comune c_g674" in page
    assert organizations(app)[2:] == [("c_g674", OrganizationStatus.PENDING)]
    first, joined = account(app, "prima@pinerolo.example.it"), account(app, "seconda@pinerolo.example.it")
    assert joined.organization_id == first.organization_id and first.is_referent and not joined.is_referent
    assert joined.affiliation_status == AffiliationStatus.PENDING and joined.requested_organization is None
    assert outbox[-1].recipients == ["admin@example.it"]  # a pending organisation: the administrators decide
    # Accepting the organisation lets both in.
    admin = app.test_client()
    assert login(admin, "admin@example.it").status_code == 303
    admin.post(f"/admin/organizations/{first.organization_id}/accept",
               data={"csrf_token": csrf_token(admin, "/admin/")})
    assert account(app, "seconda@pinerolo.example.it").affiliation_status == AffiliationStatus.ACTIVE


def test_a_code_registered_and_active_meanwhile_makes_the_request_a_join_request_to_it(app, client, world, outbox):
    assert register(client, new_org("nuova@pinerolo.example.it", "c_g674")).status_code == 303
    with app.app_context():
        pinerolo = make_org("Comune di Pinerolo", ipa_code="c_g674")
        make_user("referente@pinerolo.example.it", pinerolo, is_referent=True)
        db.session.commit()
    page = client.get(confirmation_link(outbox, "nuova@pinerolo.example.it")).get_data(as_text=True)
    assert "«Comune di Pinerolo»" in page
    person = account(app, "nuova@pinerolo.example.it")
    assert person.organization_id is not None and not person.is_referent
    assert outbox[-1].recipients == ["referente@pinerolo.example.it"]  # its referent decides
    assert "/organizations/comune-di-pinerolo/people" in outbox[-1].body
    assert len(organizations(app)) == 3


def confirm_at_once(app, links: list[str]) -> list:
    """Open each link at the same moment, each from its own client."""
    clients = [app.test_client() for _link in links]
    barrier, responses = threading.Barrier(len(links)), [None] * len(links)

    def open_link(i):
        barrier.wait()
        responses[i] = clients[i].get(links[i])

    threads = [threading.Thread(target=open_link, args=(i,)) for i in range(len(links))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return responses


def test_two_confirmations_for_the_same_code_at_once_make_one_organisation(app, world, outbox):
    emails = ["uno@pinerolo.example.it", "due@pinerolo.example.it"]
    for email in emails:
        assert register(app.test_client(), new_org(email, "c_g674")).status_code == 303
    responses = confirm_at_once(app, [confirmation_link(outbox, email) for email in emails])
    assert [r.status_code for r in responses] == [200, 200]
    pages = [r.get_data(as_text=True) for r in responses]
    assert sum("un'altra persona ha registrato" in p for p in pages) == 1
    assert organizations(app)[2:] == [("c_g674", OrganizationStatus.PENDING)]
    people = [account(app, email) for email in emails]
    assert people[0].organization_id == people[1].organization_id is not None
    assert sorted(p.is_referent for p in people) == [False, True]


def test_a_double_clicked_confirmation_link_creates_once_and_keeps_the_requester_referent(app, world, outbox):
    assert register(app.test_client(), new_org("nuova@pinerolo.example.it", "c_g674")).status_code == 303
    link = confirmation_link(outbox, "nuova@pinerolo.example.it")
    responses = confirm_at_once(app, [link, link])
    assert sorted(r.status_code for r in responses) == [200, 200]
    assert sum("già stato confermato" in r.get_data(as_text=True) for r in responses) == 1
    assert organizations(app)[2:] == [("c_g674", OrganizationStatus.PENDING)]
    person = account(app, "nuova@pinerolo.example.it")
    assert person.is_referent and person.organization_id is not None
    assert [m.recipients for m in outbox].count(["admin@example.it"]) == 1


def test_a_password_reset_confirms_the_address_and_creates_the_organisation_too(app, client, world, outbox):
    assert register(client, new_org("nuova@pinerolo.example.it", "c_g674")).status_code == 303
    post(client, "/auth/reset", {"email": "nuova@pinerolo.example.it"}, page="/auth/reset")
    link = links_in(outbox[-1], "/auth/reset/")[0]
    new_password = "Un'altra frase lunga e sicura 2027"
    post(client, link, {"password": new_password, "password_confirm": new_password}, page=link)
    person = account(app, "nuova@pinerolo.example.it")
    assert person.email_confirmed and person.is_referent and person.requested_organization is None
    assert organizations(app)[2:] == [("c_g674", OrganizationStatus.PENDING)]
    assert outbox[-1].recipients == ["admin@example.it"]
    # The confirmation link afterwards only says the address was confirmed already.
    assert "già stato confermato" in client.get(confirmation_link(outbox, "nuova@pinerolo.example.it")).get_data(
        as_text=True)
    assert len(organizations(app)) == 3


def test_a_request_that_no_longer_passes_the_checks_is_kept_and_explained(app, client, world, outbox, tmp_path):
    assert register(client, new_org("nuova@pinerolo.example.it", "c_zzzz")).status_code == 303
    codes = tmp_path / "ipa.txt"
    codes.write_text("c_g674\n")  # the national list loaded meanwhile does not know the code
    assert app.test_cli_runner().invoke(args=["organizations", "load-ipa-codes", str(codes)]).exit_code == 0
    sent = len(outbox)
    page = client.get(confirmation_link(outbox, "nuova@pinerolo.example.it")).get_data(as_text=True)
    assert "Non è stato possibile registrare l'ente" in page and "Codice IPA sconosciuto" in page
    person = account(app, "nuova@pinerolo.example.it")
    assert person.email_confirmed and person.organization_id is None and person.requested_organization
    assert len(organizations(app)) == 2 and len(outbox) == sent  # nobody to ask yet


def test_an_account_registered_before_the_change_keeps_its_pending_organisation(app, client, world, outbox):
    from app.auth.services import CONFIRM
    from app.auth.tokens import make_token

    with app.app_context():
        pending = make_org("Comune di Pinerolo", ipa_code="c_g674", status=OrganizationStatus.PENDING)
        person = make_user("vecchia@pinerolo.example.it", pending, is_referent=True, email_confirmed_at=None,
                           affiliation_status=AffiliationStatus.PENDING)
        db.session.commit()
        token = make_token(CONFIRM, {"uid": person.id, "email": person.email})
    assert client.get(f"/auth/confirm/{token}").status_code == 200
    person = account(app, "vecchia@pinerolo.example.it")
    assert person.email_confirmed and person.is_referent and person.organization_id is not None
    assert len(organizations(app)) == 3 and outbox[-1].recipients == ["admin@example.it"]


def test_expired_and_invalid_links_still_refuse_and_create_nothing(app, client, world, outbox):
    assert register(client, new_org("nuova@pinerolo.example.it", "c_g674")).status_code == 303
    link = confirmation_link(outbox, "nuova@pinerolo.example.it")
    tampered = client.get(link[:-3] + "abc")
    assert tampered.status_code == 400 and "non è valido" in tampered.get_data(as_text=True)
    app.config["CONFIRM_TOKEN_MAX_AGE"] = 0
    try:
        time.sleep(1.1)
        expired = client.get(link)
    finally:
        app.config["CONFIRM_TOKEN_MAX_AGE"] = 3 * 24 * 3600
    assert expired.status_code == 400 and "scaduto" in expired.get_data(as_text=True)
    person = account(app, "nuova@pinerolo.example.it")
    assert not person.email_confirmed and person.requested_organization and person.organization_id is None
    assert len(organizations(app)) == 2 and len(outbox) == 1


def test_signing_in_after_confirmation_waits_for_approval(app, client, world, outbox):
    assert register(client, new_org("nuova@pinerolo.example.it", "c_g674")).status_code == 303
    client.get(confirmation_link(outbox, "nuova@pinerolo.example.it"))
    waiting = login(app.test_client(), "nuova@pinerolo.example.it", PASSWORD)
    assert "in attesa di approvazione" in waiting.get_data(as_text=True)
